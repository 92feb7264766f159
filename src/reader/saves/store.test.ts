import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { systemActor } from "../../content/testing.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { createSave, deleteSave, restoreSave, trashedTitle } from "./service.ts";
import { saveStore, searchSaves } from "./store.ts";

describe("searchSaves", () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createTestContext();
  });
  afterEach(() => ctx.cleanup());

  async function add(title: string, fields: { blurb?: string; description?: string; text?: string } = {}) {
    const ts = ctx.now().toISOString();
    return saveStore(ctx.db).insert({
      url: `https://example.com/${encodeURIComponent(title)}`,
      canonical_url: null,
      title,
      description: fields.description ?? "",
      author_name: "",
      site_name: "example.com",
      blurb_md: fields.blurb ?? "",
      blurb_html: "",
      page_text: fields.text ?? "",
      item_id: null,
      publish: 0,
      post_id: null,
      user_id: null,
      created_at: ts,
      updated_at: ts,
    });
  }

  test("searches title, blurb, description and page text; title matches rank first", async () => {
    const inText = await add("A long read", { text: "Deep in the page there is a cassette archive of rehearsals." });
    const inTitle = await add("The cassette archive");
    const inBlurb = await add("Something else", { blurb: "Worth it for the cassette archive alone." });
    const inDescription = await add("More", { description: "A cassette archive story." });
    await add("Unrelated", { text: "Nothing to see." });

    const r = await searchSaves(ctx.db, { q: "cassette archive" });
    assert.equal(r.total, 4);
    assert.equal(r.hits[0].save.id, inTitle.id);
    assert.equal(r.hits.at(-1)?.save.id, inText.id);
    assert.deepEqual(
      new Set(r.hits.map((h) => h.save.id)),
      new Set([inText.id, inTitle.id, inBlurb.id, inDescription.id]),
    );
    const textHit = r.hits.find((h) => h.save.id === inText.id);
    assert.match(textHit?.snippet ?? "", /<mark>cassette<\/mark> <mark>archive<\/mark>/);
    assert.ok(r.hits.every((h) => !("search_tsv" in h.save)));
  });

  test("every word is required; stemming matches other forms", async () => {
    await add("Recording basics", { text: "recordings of birds" });
    assert.equal((await searchSaves(ctx.db, { q: "recording birds" })).total, 1);
    assert.equal((await searchSaves(ctx.db, { q: "recording whales" })).total, 0);
  });

  test("pages with limit and offset and keep the total", async () => {
    for (let i = 0; i < 5; i++) await add(`Tape ${i}`);
    const first = await searchSaves(ctx.db, { q: "tape", limit: 2 });
    const third = await searchSaves(ctx.db, { q: "tape", limit: 2, offset: 4 });
    assert.equal(first.total, 5);
    assert.equal(first.hits.length, 2);
    assert.equal(third.hits.length, 1);
    assert.ok(!first.hits.some((h) => h.save.id === third.hits[0].save.id));
  });

  test("query syntax is not interpreted, and snippets are escaped", async () => {
    await add("Tags <b>bold</b>", { text: "Fish & chips, a script for friends 2 < 3" });
    for (const q of ['tags" OR *', "NEAR(tags", "tags AND -", "title:tags"]) {
      const r = await searchSaves(ctx.db, { q });
      assert.ok(r.total <= 1, q);
    }
    const r = await searchSaves(ctx.db, { q: "script friends" });
    assert.equal(r.total, 1);
    assert.match(r.hits[0].snippet, /Fish &amp; chips, a <mark>script<\/mark> for <mark>friends<\/mark>/);
    assert.deepEqual(await searchSaves(ctx.db, { q: "  !!  " }), { total: 0, hits: [] });
  });
});

describe("deleted saves", () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createTestContext();
  });
  afterEach(() => ctx.cleanup());

  test("stay restorable for a week; deleting later forgets the older ones", async () => {
    const t0 = new Date("2026-03-01T10:00:00Z");
    ctx.setNow(t0);
    const save = async (title: string) =>
      (await createSave(ctx, systemActor, { url: `https://example.com/${title}`, title }, { fetch: false })).save.id;
    const old = await save("old");
    const recent = await save("recent");
    const kept = await save("kept");
    await deleteSave(ctx, systemActor, old);
    ctx.setNow(new Date(t0.getTime() + 3 * 86_400_000));
    await deleteSave(ctx, systemActor, recent);
    assert.equal(await trashedTitle(ctx, old), "old");

    // Eight days after the first delete, the next delete purges it; the three-day-old one stays.
    ctx.setNow(new Date(t0.getTime() + 8 * 86_400_000));
    await deleteSave(ctx, systemActor, kept);
    assert.equal(await trashedTitle(ctx, old), undefined);
    await assert.rejects(restoreSave(ctx, systemActor, old), /can no longer be restored/);
    assert.equal((await restoreSave(ctx, systemActor, recent)).title, "recent");
    assert.equal(await trashedTitle(ctx, recent), undefined, "a restored save leaves the trash");
    assert.equal(await trashedTitle(ctx, kept), "kept");
  });
});
