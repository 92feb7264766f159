// test lanes: sqlite only
import assert from "node:assert/strict";
import { test } from "node:test";
import type { RemoteDocument } from "@fedify/vocab-runtime";
import { type DocumentMemory, remembered } from "./loader.ts";

test("a remembered loader fetches a URL once a minute, and never keeps a failure", async () => {
  const fetched: string[] = [];
  let fail = false;
  const loader = async (url: string): Promise<RemoteDocument> => {
    fetched.push(url);
    if (fail) throw new Error(`${url}: the server answered 500`);
    return { contextUrl: null, documentUrl: url, document: { id: url, n: fetched.length } };
  };
  let now = 0;
  const memory: DocumentMemory = new Map();
  const load = remembered(loader, memory, { ttlMs: 60_000, max: 2, clock: () => now });
  const a = "https://a.example/users/a";
  assert.deepEqual((await load(a)).document, { id: a, n: 1 });
  assert.deepEqual((await load(a)).document, { id: a, n: 1 }, "from memory");
  now = 61_000;
  assert.deepEqual((await load(a)).document, { id: a, n: 2 }, "fetched again after a minute");
  fail = true;
  const b = "https://b.example/users/b";
  await assert.rejects(load(b), /answered 500/);
  fail = false;
  assert.deepEqual((await load(b)).document, { id: b, n: 4 }, "the failure was not kept");
  await load("https://c.example/users/c");
  assert.equal(memory.size, 2, "at most `max` documents");
  assert.deepEqual(fetched, [a, a, b, b, "https://c.example/users/c"]);
});
