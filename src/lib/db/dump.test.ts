/**
 * The generic table dump: every table of the schema, parents before children, no full-text or
 * generated columns, and pages that add up to the whole table whatever their size.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Kysely } from "kysely";
import { createTestContext, type TestContext } from "../testing.ts";
import { describeTables, type Row, tableRows } from "./dump.ts";

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
  const at = "2026-01-01T00:00:00.000Z";
  for (let i = 1; i <= 12; i++) {
    await ctx.db.kysely
      .insertInto("themes")
      .values({ slug: `t${i}`, name: `Theme ${i}`, description: "", position: i, created_at: at })
      .execute();
    // The columns a post needs in the database (the others have defaults).
    await (ctx.db.kysely as unknown as Kysely<Record<string, Record<string, unknown>>>)
      .insertInto("posts")
      .values({ kind: "note", status: "draft", slug: `p${i}`, title: `Post ${i}`, created_at: at, updated_at: at })
      .execute();
  }
  for (let p = 1; p <= 4; p++)
    for (let t = 1; t <= 3; t++)
      await ctx.db.kysely.insertInto("post_themes").values({ post_id: p, theme_id: t }).execute();
});
after(() => ctx.cleanup());

test("the tables come parents first, without FTS tables, generated columns or Kysely's bookkeeping", async () => {
  const tables = await describeTables(ctx.db);
  const names = tables.map((t) => t.name);
  for (const t of tables)
    for (const p of t.parents) assert.ok(names.indexOf(p) < names.indexOf(t.name), `${p} before ${t.name}`);
  assert.ok(!names.some((n) => n.includes("_fts") || n.startsWith("kysely_") || n.startsWith("sqlite_")));
  assert.ok(names.includes("posts") && names.includes("backup_settings"));
  const posts = tables.find((t) => t.name === "posts");
  assert.ok(posts && !posts.columns.includes("search_tsv"), "PostgreSQL's tsvector is computed, not copied");
  assert.deepEqual(posts?.key, ["id"]);
  assert.deepEqual(tables.find((t) => t.name === "post_themes")?.key, ["post_id", "theme_id"]);
  assert.deepEqual(tables.find((t) => t.name === "folders")?.selfRefs, [{ column: "parent_id", references: "id" }]);
  if (ctx.db.dialect === "postgres") assert.equal(posts?.serial, "id");
});

test("pages of any size add up to the whole table, in key order", async () => {
  const tables = await describeTables(ctx.db);
  for (const name of ["themes", "post_themes"]) {
    const t = tables.find((x) => x.name === name);
    assert.ok(t);
    const read = async (size: number) => {
      const out: Row[] = [];
      for await (const page of tableRows(ctx.db, t, size)) out.push(...page);
      return out;
    };
    const whole = await read(1000);
    assert.equal(whole.length, 12, name);
    assert.deepEqual(await read(5), whole, `${name} in pages of 5`);
    assert.deepEqual(await read(4), whole, `${name} in pages of 4 (the last one full)`);
  }
});
