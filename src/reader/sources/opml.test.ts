import assert from "node:assert/strict";
import fs from "node:fs";
import { afterEach, beforeEach, test } from "node:test";
import { ValidationError } from "../../lib/errors.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { createFolder } from "./folders.ts";
import { exportOpml, importOpml } from "./opml.ts";
import { type FolderNode, sourceTree } from "./service.ts";

const fixture = (name: string) => fs.readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.setNow(new Date("2026-03-01T12:00:00Z"));
});
afterEach(async () => ctx.cleanup());

/** The tree as plain names: { folder: [sources..., {subfolder: [...]}] }. */
async function shape(c: TestContext = ctx) {
  const tree = await sourceTree(c);
  const node = (n: FolderNode): unknown => ({
    [n.folder.name]: [...n.sources.map((s) => `${s.name} <${s.feed_url}>`), ...n.children.map(node)],
  });
  return { folders: tree.folders.map(node), unfiled: tree.unfiled.map((s) => `${s.name} <${s.feed_url}>`) };
}

const expected = {
  folders: [
    { Podcasts: ["Dave's show <https://dave.example/podcast.rss>"] },
    {
      Tech: [
        "Carol <https://carol.example/atom.xml>",
        { "Empty folder": [] },
        {
          Web: [
            "Alice's notes <https://alice.example/feed.xml>",
            "My name for Bob <https://bob.example/rss?format=xml&lang=en>",
          ],
        },
      ],
    },
  ],
  unfiled: ["Eve <https://eve.example/index.xml>"],
};

test("import keeps nested folders, counts duplicates and non-feeds, and makes the feeds due", async () => {
  const r = await importOpml(ctx, fixture("nested.opml"));
  assert.deepEqual(r, { added: 5, duplicates: 1, folders: 4, skipped: 1 });
  assert.deepEqual(await shape(), expected);
  const bob = await ctx.db.kysely
    .selectFrom("sources")
    .selectAll()
    .where("feed_url", "like", "%bob%")
    .executeTakeFirstOrThrow();
  assert.deepEqual(
    [bob.title, bob.custom_title, bob.site_url, bob.site_host],
    ["Bob & Co", "My name for Bob", "https://www.bob.example/", "bob.example"],
  );
  assert.equal(bob.next_fetch_at, "2026-03-01T12:00:00.000Z");
  const job = await ctx.db.kysely.selectFrom("jobs").select(["kind", "run_at"]).execute();
  assert.deepEqual(job, [{ kind: "reader.poll", run_at: "2026-03-01T12:00:00.000Z" }]);

  // Importing again adds nothing and reuses the folders.
  const again = await importOpml(ctx, fixture("nested.opml"));
  assert.deepEqual(again, { added: 0, duplicates: 6, folders: 0, skipped: 1 });
  assert.deepEqual(await shape(), expected);
});

test("export then import into an empty database gives the same folders and sources", async () => {
  await importOpml(ctx, fixture("nested.opml"));
  const xml = await exportOpml(ctx);
  assert.match(xml, /^<\?xml version="1.0" encoding="utf-8"\?>/);
  assert.match(xml, /<opml version="2.0">/);
  assert.match(xml, /xmlUrl="https:\/\/bob.example\/rss\?format=xml&amp;lang=en"/);
  const fresh = await createTestContext();
  try {
    const r = await importOpml(fresh, xml);
    assert.deepEqual(r, { added: 5, duplicates: 0, folders: 4, skipped: 0 });
    assert.deepEqual(await shape(fresh), expected);
  } finally {
    await fresh.cleanup();
  }
});

test("imports merge into existing folders of the same name", async () => {
  const tech = await createFolder(ctx, { name: "Tech" });
  const r = await importOpml(ctx, fixture("nested.opml"));
  assert.equal(r.folders, 3);
  const tree = await sourceTree(ctx);
  assert.equal(tree.folders.find((f) => f.folder.name === "Tech")?.folder.id, tech.id);
});

const nothingStored = async () => {
  const n = async (t: "sources" | "folders") =>
    Number(
      (
        await ctx.db.kysely
          .selectFrom(t)
          .select((e) => e.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  assert.deepEqual([await n("sources"), await n("folders")], [0, 0]);
};

for (const [name, file, reason] of [
  [
    "a feed with a bad address late in the file",
    "bad-url.opml",
    /outline “Broken one” has an invalid feed address \(xmlUrl "javascript:alert\(1\)"\)/,
  ],
  ["a truncated file", "truncated.opml", /invalid XML on line 7: the tag <outline> is never closed/],
  ["an HTML page", "not-opml.html", /not OPML: its root element is <html>/],
] as const) {
  test(`a broken OPML file (${name}) is reported with the reason and nothing is imported`, async () => {
    await assert.rejects(importOpml(ctx, fixture(file)), (err: Error) => {
      assert.ok(err instanceof ValidationError);
      assert.equal(err.field, "file");
      assert.match(err.message, reason);
      assert.match(err.message, /Nothing was imported/);
      return true;
    });
    await nothingStored();
  });
}

test("other broken inputs name their problem", async () => {
  const cases: [string, RegExp][] = [
    ["", /empty/],
    ["just some text", /not XML/],
    ["<opml><head/></opml>", /no <body>/],
    [
      '<opml><body><outline text="a" xmlUrl="https://a.example/"></body></opml>',
      /invalid XML on line 1: <\/body> closes <outline>/,
    ],
    [
      '<opml>\n<body>\n<outline text="a" xmlUrl="https://a.example/"/>\n</body>',
      /the document ends before <opml> .* is closed; it may be cut off/,
    ],
  ];
  for (const [text, reason] of cases) {
    await assert.rejects(importOpml(ctx, text), reason, JSON.stringify(text));
  }
  await nothingStored();
});

test("an OPML file without feeds imports nothing, without an error", async () => {
  const r = await importOpml(
    ctx,
    '<?xml version="1.0"?><opml version="2.0"><head><title>Empty</title></head><body/></opml>',
  );
  assert.deepEqual(r, { added: 0, duplicates: 0, folders: 0, skipped: 0 });
  const exported = await exportOpml(ctx);
  assert.deepEqual(await importOpml(ctx, exported), { added: 0, duplicates: 0, folders: 0, skipped: 0 });
});
