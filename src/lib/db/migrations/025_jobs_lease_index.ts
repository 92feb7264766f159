/**
 * Claiming jobs whose lease ran out (a worker died holding them) by an index, not by reading every
 * running job's row: `locked_until` is stored after the payload, so each such read went through the
 * payload's overflow pages. With it, a claim is two short index range scans (see JobQueue.claim).
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex("jobs_lease").on("jobs").columns(["status", "locked_until"]).execute();
}
