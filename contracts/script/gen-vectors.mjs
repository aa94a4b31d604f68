#!/usr/bin/env node
// Writes test/vectors/merkle.json: reward-tree, commitment-digest and validator-set-digest vectors
// shared by the Foundry tests (test/unit/MerkleVectors.t.sol) and the Rust side. Deterministic:
// running it again must produce the same bytes (`--check` exits 1 if the file differs).
//
// The tree construction is documented in ../README.md ("Reward tree"); this file is an independent
// implementation of it, written against ethers rather than against the contracts.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AbiCoder, SigningKey, computeAddress, concat, getAddress, keccak256, toUtf8Bytes } from "ethers";

const abi = AbiCoder.defaultAbiCoder();
const out = join(dirname(fileURLToPath(import.meta.url)), "..", "test", "vectors", "merkle.json");

/** leaf = keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount)))) */
const leafOf = (account, amount) => keccak256(keccak256(abi.encode(["address", "uint256"], [account, amount])));

/** Sorted pair: the smaller hash (as a 256-bit big-endian number) goes first. */
const hashPair = (a, b) => (BigInt(a) <= BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a])));

/** Level by level; an odd node at the end of a level is carried up unchanged. */
function buildTree(leaves) {
	const levels = [leaves];
	while (levels.at(-1).length > 1) {
		const level = levels.at(-1);
		const next = [];
		for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? hashPair(level[i], level[i + 1]) : level[i]);
		levels.push(next);
	}
	return levels;
}

function proofOf(levels, index) {
	const proof = [];
	for (const level of levels.slice(0, -1)) {
		const sibling = index ^ 1;
		if (sibling < level.length) proof.push(level[sibling]);
		index >>= 1;
	}
	return proof;
}

const verify = (proof, root, leaf) => proof.reduce((acc, p) => hashPair(acc, p), leaf) === root;

/** Deterministic account i: the last 20 bytes of keccak256("smartnodes.vector.account" || i). */
const accountOf = (i) =>
	getAddress("0x" + keccak256(concat([toUtf8Bytes("smartnodes.vector.account"), abi.encode(["uint256"], [i])])).slice(-40));

/** Amounts cover whole SNO plus dust, and one above 2^64 (near 2^120) per tree to catch width bugs;
 * every tree's total still fits the distributor's uint128. */
function amountOf(tree, i) {
	if (i === 0) return (1n << 120n) - 1n - BigInt(tree);
	return BigInt(i) * 10n ** 18n + BigInt(tree * 1000 + i);
}

function makeTree(name, size, seed) {
	const entries = Array.from({ length: size }, (_, i) => ({ account: accountOf(seed * 100 + i), amount: amountOf(seed, i) }));
	// Leaves are ordered by account, ascending (the chain's builder does the same).
	entries.sort((a, b) => (BigInt(a.account) < BigInt(b.account) ? -1 : 1));
	const leaves = entries.map((e) => leafOf(e.account, e.amount));
	const levels = buildTree(leaves);
	const root = levels.at(-1)[0];
	const proofs = leaves.map((_, i) => proofOf(levels, i));
	proofs.forEach((p, i) => {
		if (!verify(p, root, leaves[i])) throw new Error(`self-check failed: ${name} leaf ${i}`);
	});
	const total = entries.reduce((s, e) => s + e.amount, 0n);
	return {
		name,
		accounts: entries.map((e) => e.account),
		amounts: entries.map((e) => e.amount.toString()),
		leaves,
		root,
		total: total.toString(),
		proofs,
	};
}

const trees = [
	makeTree("one-leaf", 1, 1),
	makeTree("two-leaves", 2, 2),
	makeTree("three-leaves", 3, 3),
	makeTree("five-leaves", 5, 5),
	makeTree("sixteen-leaves", 16, 16),
	makeTree("seventeen-leaves", 17, 17),
];

// Anvil's first default account: a key anyone can reproduce.
const signerKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const signer = new SigningKey(signerKey);
const sign = (digest) => {
	const sig = signer.sign(digest);
	return { signature: concat([sig.r, sig.s, sig.v === 27 ? "0x1b" : "0x1c"]), r: sig.r, s: sig.s, v: sig.v };
};

// A distributor address that is not this repo's deployment: vectors bind the digest to whatever
// address is in the commitment.
const distributor = getAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3");
const chainId = 84532n;

const rootTagPreimage = "Smartnodes.RewardRoot.v1";
const rootTag = keccak256(toUtf8Bytes(rootTagPreimage));
const sixteen = trees.find((t) => t.name === "sixteen-leaves");
const commitment = { chainId, distributor, period: 42n, root: sixteen.root, total: BigInt(sixteen.total), validatorSetId: 3n };
const commitmentEncoded = abi.encode(
	["bytes32", "uint256", "address", "uint64", "bytes32", "uint256", "uint64"],
	[rootTag, commitment.chainId, commitment.distributor, commitment.period, commitment.root, commitment.total, commitment.validatorSetId],
);
const commitmentDigest = keccak256(commitmentEncoded);
const commitmentSig = sign(commitmentDigest);

const setTagPreimage = "Smartnodes.ValidatorSet.v1";
const setTag = keccak256(toUtf8Bytes(setTagPreimage));
const newValidators = [1, 2, 3].map((i) => computeAddress(new SigningKey(keccak256(abi.encode(["string", "uint256"], ["smartnodes.vector.validator", i])))));
const newSetId = 4n;
const setEncoded = abi.encode(
	["bytes32", "uint256", "address", "uint64", "address[]"],
	[setTag, chainId, distributor, newSetId, newValidators],
);
const setDigest = keccak256(setEncoded);
const setSig = sign(setDigest);

const vectors = {
	scheme: "smartnodes-rewards-v1",
	generator: "contracts/script/gen-vectors.mjs",
	trees,
	commitment: {
		domainTagPreimage: rootTagPreimage,
		domainTag: rootTag,
		chainId: Number(commitment.chainId),
		distributor: commitment.distributor,
		period: Number(commitment.period),
		root: commitment.root,
		total: commitment.total.toString(),
		validatorSetId: Number(commitment.validatorSetId),
		encoded: commitmentEncoded,
		digest: commitmentDigest,
		signerPrivateKey: signerKey,
		signer: computeAddress(signerKey),
		signature: commitmentSig.signature,
	},
	validatorSet: {
		domainTagPreimage: setTagPreimage,
		domainTag: setTag,
		chainId: Number(chainId),
		distributor,
		newSetId: Number(newSetId),
		validators: newValidators,
		encoded: setEncoded,
		digest: setDigest,
		signerPrivateKey: signerKey,
		signer: computeAddress(signerKey),
		signature: setSig.signature,
	},
};

const text = JSON.stringify(vectors, null, 2) + "\n";
if (process.argv.includes("--check")) {
	let current = "";
	try {
		current = readFileSync(out, "utf8");
	} catch {}
	if (current !== text) {
		console.error(`${out} is out of date: run node script/gen-vectors.mjs`);
		process.exit(1);
	}
	console.log(`${out} is up to date`);
} else {
	writeFileSync(out, text);
	console.log(`wrote ${out}`);
}
