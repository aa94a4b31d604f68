// The two chains the page talks to: the Smartnodes chain through @polkadot/api (its metadata gives
// every storage item, call and event; the node's `smartnodes_*` methods answer in JSON), and Base
// through viem with the contracts' ABIs from the Foundry build.
import { ApiPromise, WsProvider } from "@polkadot/api";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { createPublicClient, createWalletClient, custom, defineChain, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { abi as distributorAbi } from "../../contracts/out/RewardDistributor.sol/RewardDistributor.json";
import { abi as tokenAbi } from "../../contracts/out/SmartnodesToken.sol/SmartnodesToken.json";
import { abi as daoAbi } from "../../contracts/out/SmartnodesDAO.sol/SmartnodesDAO.json";

export { daoAbi, distributorAbi, tokenAbi };

/** Development keys for the local network only: Eve on the chain, Anvil's account #5 on Base. */
export const DEFAULT_CHAIN_KEY = "//Eve";
export const DEFAULT_BASE_KEY = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";

let state;

/** Connects once; every view shares the connection. */
export async function connect() {
  if (state) return state;
  const response = await fetch("/config.json");
  if (!response.ok) throw new Error(`/config.json: ${response.status} ${await response.text()}`);
  const config = await response.json();
  await cryptoWaitReady();
  const provider = new WsProvider(config.chainWs);
  // frame_system's AuthorizeCall adds nothing to an extrinsic or its payload; declared so the
  // library does not warn about an unknown extension.
  const api = await ApiPromise.create({
    provider,
    noInitWarn: true,
    signedExtensions: { AuthorizeCall: { extrinsic: {}, payload: {} } },
  });
  const base = defineChain({
    id: config.deployment.chainId,
    name: config.deployment.chainId === 84532 ? "Base (local Anvil)" : `chain ${config.deployment.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.baseRpc] } },
  });
  const publicClient = createPublicClient({ chain: base, transport: http(config.baseRpc), pollingInterval: 1_000 });
  state = { config, provider, api, base, publicClient, keyring: new Keyring({ type: "sr25519", ss58Format: api.registry.chainSS58 ?? 42 }) };
  return state;
}

/** A `smartnodes_*` (or any) JSON-RPC method of the node, answered in JSON. */
export function rpc(method, params = []) {
  return state.provider.send(method, params);
}

export const contracts = () => ({
  distributor: { address: state.config.deployment.distributor, abi: distributorAbi },
  token: { address: state.config.deployment.token, abi: tokenAbi },
  dao: { address: state.config.deployment.dao, abi: daoAbi },
});

/** Reads a contract view on Base. */
export function read(contract, functionName, args = []) {
  return state.publicClient.readContract({ ...contract, functionName, args });
}

const stored = (key, fallback) => localStorage.getItem(key) ?? fallback;

export function chainKey() {
  return stored("smartnodes.chainKey", DEFAULT_CHAIN_KEY);
}
export function setChainKey(uri) {
  localStorage.setItem("smartnodes.chainKey", uri);
}
export function baseKey() {
  return stored("smartnodes.baseKey", DEFAULT_BASE_KEY);
}
export function setBaseKey(key) {
  localStorage.setItem("smartnodes.baseKey", key);
}

/** The chain account that signs: the secret URI in the key bar (a development key). */
export function chainSigner() {
  const uri = chainKey().trim();
  try {
    return state.keyring.addFromUri(uri);
  } catch (error) {
    throw new Error(`the chain key "${uri}" is not a secret URI or phrase: ${error.message}`);
  }
}

/** A wallet on Base: the private key in the key bar, or the browser's wallet if the field is empty. */
export async function baseWallet() {
  const key = baseKey().trim();
  if (key === "" && globalThis.ethereum) {
    const [address] = await globalThis.ethereum.request({ method: "eth_requestAccounts" });
    return createWalletClient({ account: address, chain: state.base, transport: custom(globalThis.ethereum) });
  }
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error("the Base key must be 0x and 64 hex digits (or empty, to use a browser wallet)");
  return createWalletClient({ account: privateKeyToAccount(key), chain: state.base, transport: http(state.config.baseRpc) });
}

/** Signs and submits `tx`; resolves with its events once in a block, rejects with the module error. */
export function submit(tx, signer) {
  return new Promise((resolve, reject) => {
    let unsubscribe;
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        unsubscribe?.();
        if (dispatchError.isModule) {
          const { section, name, docs } = state.api.registry.findMetaError(dispatchError.asModule);
          reject(new Error(`${section}.${name}: ${docs.join(" ")}`));
        } else reject(new Error(dispatchError.toString()));
      } else if (status.isInBlock) {
        unsubscribe?.();
        resolve({ block: status.asInBlock.toHex(), events });
      } else if (status.isDropped || status.isInvalid || status.isUsurped) {
        unsubscribe?.();
        reject(new Error(`the transaction was ${status.type.toLowerCase()}`));
      }
    })
      .then((u) => (unsubscribe = u))
      .catch(reject);
  });
}
