// test lanes: sqlite only
import assert from "node:assert/strict";
import { test } from "node:test";
import type { KvKey, KvStore } from "@fedify/fedify";
import { withHotKeys } from "./kv-hot.ts";

/** An in-memory store that counts what reaches it (the database, for the layer under test). */
function countingStore() {
  const data = new Map<string, unknown>();
  const calls = { get: 0, set: 0, cas: 0 };
  const store: KvStore = {
    async get<T>(key: KvKey) {
      calls.get++;
      return data.get(JSON.stringify(key)) as T | undefined;
    },
    async set(key, value) {
      calls.set++;
      data.set(JSON.stringify(key), value);
    },
    async delete(key) {
      data.delete(JSON.stringify(key));
    },
    async cas(key, expected, value) {
      calls.cas++;
      if (data.get(JSON.stringify(key)) !== expected) return false;
      data.set(JSON.stringify(key), value);
      return true;
    },
    async *list() {},
  };
  return { store, data, calls };
}

const spec: KvKey = ["_fedify", "httpMessageSignaturesSpec", "https://a.example"];
const circuit: KvKey = ["_fedify", "circuit", "a.example"];

test("an origin's signature spec is read once for a few seconds, and writing the same value again is skipped", async () => {
  const { store, data, calls } = countingStore();
  let now = 0;
  const kv = withHotKeys(store, new Map(), () => now);
  await kv.set(spec, "rfc9421");
  assert.equal(await kv.get(spec), "rfc9421");
  await kv.set(spec, "rfc9421");
  assert.deepEqual(calls, { get: 0, set: 1, cas: 0 }, "one write, no read");
  data.set(JSON.stringify(spec), "draft-cavage-http-signatures-12"); // another process
  assert.equal(await kv.get(spec), "rfc9421", "still the remembered value");
  now = 6_000;
  assert.equal(await kv.get(spec), "draft-cavage-http-signatures-12", "seen after a few seconds");
  await kv.set(spec, "rfc9421");
  assert.equal(data.get(JSON.stringify(spec)), "rfc9421", "a different value is written");
});

test("a failed compare-and-swap forgets the remembered state, so the retry reads the database", async () => {
  const { store, data, calls } = countingStore();
  const kv = withHotKeys(store, new Map(), () => 0);
  assert.equal(await kv.get(circuit), undefined);
  data.set(JSON.stringify(circuit), "open"); // another process opened the circuit
  assert.equal(await kv.get(circuit), undefined, "remembered as absent");
  assert.equal(await kv.cas?.(circuit, undefined, "half-open"), false);
  assert.equal(await kv.get(circuit), "open", "read again after the failed swap");
  assert.equal(calls.get, 2);
});

test("other keys always reach the store", async () => {
  const { store, calls } = countingStore();
  const kv = withHotKeys(store, new Map(), () => 0);
  await kv.set(["liner", "sig", "x"], 1);
  await kv.get(["liner", "sig", "x"]);
  await kv.get(["liner", "sig", "x"]);
  assert.deepEqual(calls, { get: 2, set: 1, cas: 0 });
});
