/**
 * The actor's key pairs: RSA (RSASSA-PKCS1-v1_5, for HTTP Signatures, which every server reads)
 * and Ed25519 (for Object Integrity Proofs), made on first use and kept in `fedi_keys` as JWK, so
 * every process signs with the same keys and a restart keeps the account's identity.
 */
import { exportJwk, generateCryptoKeyPair, importJwk } from "@fedify/fedify";
import type { AppContext } from "../lib/context.ts";
import { accountStore } from "./store.ts";

let generate: typeof generateCryptoKeyPair = generateCryptoKeyPair;

/**
 * Tests: make each kind of key pair once per process and give every test site the same (RSA
 * generation costs a test a good part of a second, and a test site's identity needs no secrecy).
 */
export function reuseKeyPairsInTests(): void {
  const made = new Map<string, Promise<CryptoKeyPair>>();
  generate = (algorithm) => {
    const key = String(algorithm);
    let pair = made.get(key);
    if (!pair) {
      pair = generateCryptoKeyPair(algorithm);
      made.set(key, pair);
    }
    return pair;
  };
}

const KINDS = [
  ["rsa", "RSASSA-PKCS1-v1_5"],
  ["ed25519", "Ed25519"],
] as const;

/**
 * Imported pairs by database: Fedify asks for them on every signed request, and once made they
 * never change, so each process reads and imports them once.
 */
const imported = new WeakMap<object, Promise<CryptoKeyPair[]>>();

/** The key pairs, RSA first (Fedify uses the first for HTTP Signatures); made if missing. */
export function keyPairs(ctx: Pick<AppContext, "db" | "now">): Promise<CryptoKeyPair[]> {
  let pairs = imported.get(ctx.db);
  if (!pairs) {
    pairs = loadKeyPairs(ctx);
    imported.set(ctx.db, pairs);
    pairs.catch(() => imported.delete(ctx.db)); // a failed read is tried again next time
  }
  return pairs;
}

async function loadKeyPairs(ctx: Pick<AppContext, "db" | "now">): Promise<CryptoKeyPair[]> {
  const store = accountStore(ctx.db);
  let rows = await store.keys();
  if (rows.length < KINDS.length) {
    for (const [kind, algorithm] of KINDS) {
      if (rows.some((r) => r.kind === kind)) continue;
      const pair = await generate(algorithm);
      await store.addKey({
        kind,
        private_jwk: JSON.stringify(await exportJwk(pair.privateKey)),
        public_jwk: JSON.stringify(await exportJwk(pair.publicKey)),
        created_at: ctx.now().toISOString(),
      });
    }
    // Read back: another process may have stored its keys first, and those are the ones.
    rows = await store.keys();
  }
  const order = (kind: string) => KINDS.findIndex(([k]) => k === kind);
  return Promise.all(
    rows
      .sort((a, b) => order(a.kind) - order(b.kind))
      .map(async (r) => ({
        privateKey: await importJwk(JSON.parse(r.private_jwk), "private"),
        publicKey: await importJwk(JSON.parse(r.public_jwk), "public"),
      })),
  );
}
