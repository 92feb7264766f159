/**
 * First-run onboarding (issue 12): whether the owner dismissed the admin home's checklist, and
 * the snapshot of the demo content they removed, kept so that "Undo" puts it back as it was.
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable("content_state").addColumn("checklist_dismissed_at", "text").execute();
  // JSON: each module's snapshot of what "Remove the demo content" took, by module name.
  await db.schema.alterTable("content_state").addColumn("demo_removed", "text").execute();
}
