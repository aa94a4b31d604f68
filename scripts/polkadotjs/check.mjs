// Connects @polkadot/api (the library polkadot.js Apps is built on) to a running node, decodes
// its metadata, reads Smartnodes storage and submits a signed transfer, failing loudly on any
// mismatch. Usage: node check.mjs ws://127.0.0.1:9944
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';

const url = process.argv[2] ?? 'ws://127.0.0.1:9944';
const fail = (msg) => {
  console.error(`polkadot.js check failed: ${msg}`);
  process.exit(1);
};
const timer = setTimeout(() => fail('timed out after 120 s'), 120_000);

// frame_system's AuthorizeCall adds nothing to an extrinsic or its payload; declaring it keeps
// the library from warning about an unknown extension.
const api = await ApiPromise.create({
  provider: new WsProvider(url),
  throwOnConnect: true,
  signedExtensions: { AuthorizeCall: { extrinsic: {}, payload: {} } },
});
const properties = await api.rpc.system.properties();
const [decimals] = properties.tokenDecimals.unwrap();
const [symbol] = properties.tokenSymbol.unwrap();
if (decimals.toNumber() !== 18 || symbol.toString() !== 'SNO') fail(`token ${symbol} with ${decimals} decimals`);
console.log(`metadata v${api.runtimeMetadata.version} decoded; ${api.runtimeVersion.specName} spec ${api.runtimeVersion.specVersion}`);

for (const pallet of ['babe', 'grandpa', 'session', 'offences', 'validators', 'balances', 'sudo']) {
  if (!api.query[pallet]) fail(`pallet ${pallet} missing from the metadata`);
}
const candidates = await api.query.validators.candidates();
const collateral = await api.query.validators.collateralAmount();
const bridge = await api.query.validators.bridgeAuthorities();
console.log(`${candidates.length} candidates, collateral ${collateral.toString()}, bridge set ${bridge.setId} with ${bridge.addresses.length} addresses`);
if (candidates.length === 0 || bridge.addresses.length !== candidates.length) fail('validator set is empty or bridge keys are missing');

const keyring = new Keyring({ type: 'sr25519' });
const alice = keyring.addFromUri('//Alice');
const bob = keyring.addFromUri('//Bob');
const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
const amount = 10n ** 18n;
await new Promise((resolve, reject) => {
  api.tx.balances
    .transferKeepAlive(bob.address, amount)
    .signAndSend(alice, ({ status, dispatchError }) => {
      if (dispatchError) reject(new Error(dispatchError.toString()));
      if (status.isInBlock) resolve();
    })
    .catch(reject);
}).catch((e) => fail(`transfer: ${e.message}`));
const after = (await api.query.system.account(bob.address)).data.free.toBigInt();
if (after - before !== amount) fail(`Bob received ${after - before}, expected ${amount}`);
console.log('signed transfer included: 1 SNO from Alice to Bob');

clearTimeout(timer);
await api.disconnect();
