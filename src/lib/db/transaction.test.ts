import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { z } from "zod";
import { jobKind } from "../jobs/kinds.ts";
import { createTestContext, type TestContext } from "../testing.ts";
import { injectFault } from "./faults.ts";
import { savepoint, transaction } from "./transaction.ts";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(async () => ctx.cleanup());

const kind = jobKind("test.tx", z.object({ n: z.number() }));
const jobCount = async () => (await ctx.db.kysely.selectFrom("jobs").select("id").execute()).length;
/** A second queued job under a key that has one: the unique index refuses it. */
const duplicate = (tx: TestContext) =>
  tx.db.kysely
    .insertInto("jobs")
    .values({
      kind: kind.name,
      payload: "{}",
      status: "queued",
      run_at: "2026-01-01T00:00:00.000Z",
      attempts: 0,
      max_attempts: 1,
      unique_key: "one",
      created_at: "2026-01-01T00:00:00.000Z",
      updated_at: "2026-01-01T00:00:00.000Z",
    })
    .execute();

test("transaction: the jobs and rows of a failed callback are rolled back together", async () => {
  await assert.rejects(
    transaction(ctx, async (tx) => {
      await tx.jobs.enqueue(kind, { n: 1 }, { uniqueKey: "one" });
      throw new Error("boom");
    }),
    /boom/,
  );
  assert.equal(await jobCount(), 0);
});

test("savepoint: a failure inside it leaves the transaction usable; outside a transaction it just runs", async () => {
  await transaction(ctx, async (tx) => {
    await tx.jobs.enqueue(kind, { n: 1 }, { uniqueKey: "one" });
    await assert.rejects(savepoint(tx.db, () => duplicate(tx as TestContext)));
    // Without the savepoint, PostgreSQL refuses this: the transaction would be aborted.
    await tx.jobs.enqueue(kind, { n: 2 }, { uniqueKey: "two" });
    assert.equal(await savepoint(tx.db, async () => 42), 42);
  });
  assert.equal(await jobCount(), 2, "both jobs committed");
  await assert.rejects(
    savepoint(ctx.db, () => duplicate(ctx)),
    "outside a transaction the error still comes back",
  );
  assert.equal(await jobCount(), 2);
});

/** ~200 KB in one row: more pages than a full disk leaves (see faults.ts). */
const bigTheme = (tx: TestContext) =>
  tx.db.kysely
    .insertInto("themes")
    .values({ name: "Big", slug: "big", description: "x".repeat(200_000), position: 0, created_at: "2026-01-01" })
    .execute();
const fullCode = () => (ctx.db.dialect === "sqlite" ? "SQLITE_FULL" : "53100");

test("a full disk: the transaction fails with the disk's error, not the rollback's, and keeps nothing", async () => {
  const undo = await injectFault(ctx.db, "full", "themes");
  try {
    // SQLite rolls the transaction back itself on SQLITE_FULL; our ROLLBACK then finds none.
    await assert.rejects(
      transaction(ctx, async (tx) => {
        await tx.jobs.enqueue(kind, { n: 1 }, { uniqueKey: "one" });
        await bigTheme(tx as TestContext);
      }),
      (err: NodeJS.ErrnoException) => err.code === fullCode(),
    );
    await assert.rejects(
      transaction(ctx, (tx) => savepoint(tx.db, () => bigTheme(tx as TestContext))),
      (err: NodeJS.ErrnoException) => err.code === fullCode(),
      "a savepoint whose transaction SQLite ended reports the same",
    );
  } finally {
    await undo();
  }
  assert.equal(await jobCount(), 0, "the job queued before the failure was rolled back");
  assert.equal((await ctx.db.kysely.selectFrom("themes").select("id").where("slug", "=", "big").execute()).length, 0);
  await transaction(ctx, (tx) => tx.jobs.enqueue(kind, { n: 2 }, { uniqueKey: "two" }));
  assert.equal(await jobCount(), 1, "the connection is usable afterwards");
});
