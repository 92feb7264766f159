/**
 * One transaction across modules: `transaction(ctx, async (tx) => ...)` gives a context whose
 * database and job queue are the transaction's, so every store and `tx.jobs.enqueue` the callback
 * reaches commits or rolls back together. Inside a transaction it just runs the callback (no
 * nesting). On SQLite everything inside must use `tx`, never the outer `ctx`: the one connection
 * is busy until the transaction ends.
 */
import type { AppContext } from "../context.ts";
import type { Db } from "./index.ts";

/** Run `fn` in a transaction of `db` (or in the one `db` already is). */
export function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  if (db.inTransaction) return fn(db);
  return db.kysely.transaction().execute((trx) => fn({ ...db, kysely: trx, inTransaction: true }));
}

/** Run `fn` with a context bound to one transaction; see the module comment. */
export function transaction<T>(ctx: AppContext, fn: (tx: AppContext) => Promise<T>): Promise<T> {
  if (ctx.db.inTransaction) return fn(ctx);
  return inTransaction(ctx.db, (db) => fn({ ...ctx, db, jobs: ctx.jobs.on(db) }));
}
