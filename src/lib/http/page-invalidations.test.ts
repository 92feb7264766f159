import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createTestContext, type TestContext } from "../testing.ts";
import { invalidatePages, invalidationsAfter } from "./page-invalidations.ts";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(() => ctx.cleanup());

const paths = async () => (await invalidationsAfter(ctx.db, 0)).map((r) => r.path);

test("invalidations are shared through the table; rows over an hour old are swept, at most once a minute", async () => {
  const t0 = new Date("2026-03-01T10:00:00Z").getTime();
  ctx.setNow(new Date(t0));
  await invalidatePages(ctx, ["/a"]);
  ctx.setNow(new Date(t0 + 30_000));
  await invalidatePages(ctx, ["/b"]);
  assert.deepEqual(await paths(), ["/a", "/b"]);
  ctx.setNow(new Date(t0 + 3600_000 + 10_000));
  await invalidatePages(ctx, ["/c"]);
  assert.deepEqual(await paths(), ["/b", "/c"], "/a is over an hour old");
  ctx.setNow(new Date(t0 + 3600_000 + 40_000));
  await invalidatePages(ctx, ["/d"]);
  assert.deepEqual(await paths(), ["/b", "/c", "/d"], "/b is old now, but the last sweep was 30 s ago");
  ctx.setNow(new Date(t0 + 3600_000 + 80_000));
  await invalidatePages(ctx, ["/e"]);
  assert.deepEqual(await paths(), ["/c", "/d", "/e"]);
});
