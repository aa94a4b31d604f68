// Loads N synthetic reward accounts into a throwaway dev node (sudo system.setStorage), then times
// the runtime API call that reads a period's table from state in wasm (CoordinatorApi_reward_table,
// the same pass the validators' off-chain worker makes once per period) and reports what the
// off-chain worker logged for it. Usage: node table-scale.mjs ws://127.0.0.1:9944 100000
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';

const url = process.argv[2] ?? 'ws://127.0.0.1:9944';
const total = Number(process.argv[3] ?? 100000);
const batch = 20000;

// frame_system's AuthorizeCall adds nothing to an extrinsic or its payload; declaring it keeps
// the library from warning about an unknown extension.
const api = await ApiPromise.create({
  provider: new WsProvider(url),
  throwOnConnect: true,
  noInitWarn: true,
  signedExtensions: { AuthorizeCall: { extrinsic: {}, payload: {} } },
});
const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
const account = api.createType('PalletRewardsRewardAccount', { settled: 0, openPeriod: 0, openUnits: 0, openAmount: 1 }).toHex();

const send = (tx) => new Promise((resolve, reject) => {
  tx.signAndSend(alice, { nonce: -1 }, ({ status, dispatchError }) => {
    if (dispatchError) reject(new Error(dispatchError.toString()));
    if (status.isInBlock) resolve();
  }).catch(reject);
});

const loadStart = Date.now();
for (let from = 0; from < total; from += batch) {
  const items = [];
  for (let i = from; i < Math.min(total, from + batch); i++) {
    const address = '0x' + (i + 1).toString(16).padStart(40, '0');
    items.push([api.query.rewards.accounts.key(address), account]);
  }
  await send(api.tx.sudo.sudoUncheckedWeight(api.tx.system.setStorage(items), { refTime: 1, proofSize: 1 }));
  // Progress on a terminal only: a log (the benchmark report) gets the one line below.
  if (process.stdout.isTTY) process.stdout.write(`\rloaded ${Math.min(total, from + batch)} accounts`);
}
if (process.stdout.isTTY) process.stdout.write('\n');
console.log(`loaded ${total} accounts in ${((Date.now() - loadStart) / 1000).toFixed(1)} s`);

// Wait for a period to close after the load, so its table holds every account.
const loadedIn = (await api.query.rewards.currentAccrual()).period.toNumber();
let period;
for (;;) {
  const accruing = (await api.query.rewards.currentAccrual()).period.toNumber();
  if (accruing > loadedIn) { period = accruing - 1; break; }
  await new Promise((r) => setTimeout(r, 2000));
}
// SCALE bytes are little-endian; a number type's plain `toHex()` is big-endian.
const arg = api.createType('u64', period).toHex(true);
const runs = [];
let size = 0;
for (let i = 0; i < 3; i++) {
  const start = Date.now();
  const out = await api.rpc.state.call('CoordinatorApi_reward_table', arg);
  runs.push(Date.now() - start);
  const result = api.createType('Result<Vec<(H160, u128)>, u8>', out);
  if (result.isErr) throw new Error(`reward_table(${period}) failed: ${out.toHex()}`);
  size = out.length;
  if (result.asOk.length < total) throw new Error(`only ${result.asOk.length} accounts in the table`);
}
console.log(`period ${period}: reward_table of ${total}+ accounts in wasm: ${runs.map((t) => `${t} ms`).join(', ')} (${(size / 1048576).toFixed(1)} MiB of SCALE)`);
await api.disconnect();
