/**
 * One transaction across modules: `transaction(ctx, async (tx) => ...)` gives a context whose
 * database and job queue are the transaction's, so every store and `tx.jobs.enqueue` the callback
 * reaches commits or rolls back together. Inside a transaction it just runs the callback (no
 * nesting). On SQLite everything inside must use `tx`, never the outer `ctx`: the one connection
 * is busy until the transaction ends. `savepoint` keeps an expected failure (a unique index met)
 * from spoiling the transaction around it.
 *
 * A failed transaction always reports the error that failed it. SQLite rolls a transaction back
 * by itself on some errors (SQLITE_FULL, SQLITE_IOERR), so our own ROLLBACK then fails with "no
 * transaction is active"; Kysely's `transaction().execute` would throw that instead and lose the
 * real cause (a full disk). Here the rollback's failure is kept on the error as `rollbackError`.
 */
import { sql } from "kysely";
import type { AppContext } from "../context.ts";
import type { Db } from "./index.ts";

/** Run `fn` in a transaction of `db` (or in the one `db` already is). */
export async function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  if (db.inTransaction) return fn(db);
  const trx = await db.kysely.startTransaction().execute();
  let result: T;
  try {
    result = await fn({ ...db, kysely: trx, inTransaction: true });
    await trx.commit().execute();
  } catch (err) {
    // A commit that failed may have ended the transaction too: the rollback is attempted either way.
    await trx
      .rollback()
      .execute()
      .catch((rollbackError: unknown) => keepRollbackError(err, rollbackError));
    throw err;
  }
  return result;
}

/** Note a failed rollback on the error being thrown, which stays the one reported. */
function keepRollbackError(err: unknown, rollbackError: unknown): void {
  if (err && typeof err === "object" && !("rollbackError" in err)) {
    Object.defineProperty(err, "rollbackError", { value: rollbackError, configurable: true });
  }
}

/** Run `fn` with a context bound to one transaction; see the module comment. */
export function transaction<T>(ctx: AppContext, fn: (tx: AppContext) => Promise<T>): Promise<T> {
  if (ctx.db.inTransaction) return fn(ctx);
  return inTransaction(ctx.db, (db) => fn({ ...ctx, db, jobs: ctx.jobs.on(db) }));
}

let savepoints = 0;

/**
 * Run `fn` so that its failure leaves the enclosing transaction usable: inside a transaction,
 * behind a savepoint that is rolled back when `fn` throws (PostgreSQL refuses every later
 * statement of a transaction in which one failed); outside one, just `fn`. The error is rethrown:
 * this is for failures the caller expects and handles, such as an insert meeting a unique index.
 */
export async function savepoint<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  if (!db.inTransaction) return fn();
  const name = sql.id(`liner_sp_${++savepoints}`);
  await sql`SAVEPOINT ${name}`.execute(db.kysely);
  try {
    const result = await fn();
    await sql`RELEASE SAVEPOINT ${name}`.execute(db.kysely);
    return result;
  } catch (err) {
    try {
      await sql`ROLLBACK TO SAVEPOINT ${name}`.execute(db.kysely);
      await sql`RELEASE SAVEPOINT ${name}`.execute(db.kysely);
    } catch (rollbackError) {
      // SQLite may have rolled the whole transaction back ("no such savepoint"): report `err`,
      // and the enclosing transaction's own rollback ends it.
      keepRollbackError(err, rollbackError);
    }
    throw err;
  }
}
