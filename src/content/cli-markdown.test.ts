/** `liner import markdown`, `liner export markdown` and `liner post publish`, driven as a child process. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type CliEnv, cliEnv, copyTestdata, runCli } from "../cli/testing.ts";
import { type AppContext, closeContext } from "../lib/context.ts";
import { historyStore, postStore, themeStore } from "./store.ts";

const siteData = fileURLToPath(new URL("./testdata/site/", import.meta.url));

const temps: string[] = [];
let e: CliEnv;
beforeEach(async () => {
  e = await cliEnv();
});
afterEach(async () => {
  await e.cleanup();
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});

const tmp = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
};

async function withDb<T>(env: CliEnv, fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await env.open();
  try {
    return await fn(ctx);
  } finally {
    await closeContext(ctx);
  }
}

/** Everything that defines a post, with theme names, sorted by slug: equal snapshots mean equal sites. */
async function snapshot(env: CliEnv) {
  return withDb(env, async (ctx) => {
    const posts = await postStore(ctx.db).list({ limit: 1000 });
    const themes = await postStore(ctx.db).themesOf(posts.map((p) => p.id));
    return {
      posts: posts
        .map((p) => ({
          slug: p.slug,
          kind: p.kind,
          status: p.status,
          title: p.title,
          summary: p.summary,
          body_md: p.body_md,
          body_html: p.body_html,
          published_at: p.published_at,
          themes: (themes.get(p.id) ?? []).map((t) => t.name).sort(),
        }))
        .sort((a, b) => a.slug.localeCompare(b.slug)),
      themes: (await themeStore(ctx.db).all())
        .map(({ name, slug, description, position }) => ({ name, slug, description, position }))
        .sort((a, b) => a.slug.localeCompare(b.slug)),
    };
  });
}

const revisionCount = (env: CliEnv) =>
  withDb(env, async (ctx) => {
    let n = 0;
    for (const p of await postStore(ctx.db).list({ limit: 1000 }))
      n += (await historyStore(ctx.db).revisions(p.id)).length;
    return n;
  });

test("imports Hugo, Jekyll and Eleventy files; a file with bad front matter is reported with path and line", async () => {
  const dir = copyTestdata(siteData);
  temps.push(dir);
  const r = await runCli(["import", "markdown", dir], { env: e.env });
  assert.equal(r.code, 1);
  assert.equal(r.stdout.trim(), "imported 8, updated 0, unchanged 0, failed 1");
  const bad = path.join(dir, "broken", "bad-front-matter.md");
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.ok(r.stderr.startsWith(`${bad}:5: YAML syntax error: Flow sequence`), r.stderr);
  assert.ok(!r.stderr.includes("\r") && !r.stderr.includes("\u001b["), "no progress bar when stderr is not a terminal");

  const { posts, themes } = await snapshot(e);
  const by = new Map(posts.map((p) => [p.slug, p]));
  assert.deepEqual([...by.keys()].sort(), [
    "about",
    "bundle-post",
    "go-where-the-conversation-is",
    "imagine-the-forward",
    "liner-notes-and-flash-reports",
    "small-wins-deck",
    "unfinished-thought",
    "untagged-note",
  ]);
  // Hugo: offset date to UTC, description as summary, explicit slug, tags.
  const hugo = by.get("imagine-the-forward")!;
  assert.equal(hugo.published_at, "2023-04-05T13:30:00.000Z");
  assert.equal(hugo.summary, "Tell yourself the story of what happens after someone reads you.");
  assert.deepEqual(hugo.themes, ["Social web", "Writing"]);
  assert.match(hugo.body_html, /<strong>two more<\/strong>/);
  assert.deepEqual(by.get("bundle-post")!.themes, ["Learning in public"]);
  // Jekyll: date with offset, slug without the date prefix, comma-separated categories; _drafts are drafts.
  const jekyll = by.get("liner-notes-and-flash-reports")!;
  assert.equal(jekyll.published_at, "2019-05-03T08:20:00.000Z");
  assert.deepEqual(jekyll.themes, ["Learning in public", "Social web"]);
  assert.equal(by.get("unfinished-thought")!.status, "draft");
  // Eleventy: the "posts" collection tag is not a theme; kind from front matter; marp: true is a deck.
  assert.deepEqual(by.get("go-where-the-conversation-is")!.themes, ["Social web"]);
  assert.equal(by.get("untagged-note")!.kind, "note");
  assert.deepEqual(by.get("untagged-note")!.themes, ["General"]);
  assert.equal(by.get("about")!.kind, "page");
  assert.equal(by.get("small-wins-deck")!.kind, "presentation");
  assert.match(by.get("small-wins-deck")!.body_html, /<section/);
  assert.equal(themes.length, 4);
  assert.equal(await revisionCount(e), 8);
});

test("re-importing changes nothing (no new revisions) until a file changes", async () => {
  const dir = copyTestdata(siteData);
  temps.push(dir);
  fs.rmSync(path.join(dir, "broken"), { recursive: true });
  const first = await runCli(["import", "markdown", dir], { env: e.env });
  assert.equal(first.code, 0, first.stderr);
  const before = await snapshot(e);
  const again = await runCli(["import", "markdown", dir], { env: e.env });
  assert.equal(again.code, 0);
  assert.equal(again.stdout.trim(), "imported 0, updated 0, unchanged 8, failed 0");
  assert.deepEqual(await snapshot(e), before);
  assert.equal(await revisionCount(e), 8);

  const file = path.join(dir, "eleventy", "posts", "go-where-the-conversation-is.md");
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("Start from people", "Begin with people"));
  const third = await runCli(["import", "markdown", dir], { env: e.env });
  assert.equal(third.stdout.trim(), "imported 0, updated 1, unchanged 7, failed 0");
  assert.equal(await revisionCount(e), 9);
});

test("export then import into a fresh database gives the same posts and themes", async () => {
  const dir = copyTestdata(siteData);
  temps.push(dir);
  fs.rmSync(path.join(dir, "broken"), { recursive: true });
  await runCli(["init"], { env: e.env }); // the demo site too: a deck with directives, a page, summaries
  assert.equal((await runCli(["import", "markdown", dir], { env: e.env })).code, 0);
  const out = tmp("liner-export-");
  const exp = await runCli(["export", "markdown", out], { env: e.env });
  assert.equal(exp.code, 0, exp.stderr);
  const original = await snapshot(e);
  assert.equal(exp.stdout.trim(), `exported ${original.posts.length} posts to ${out}`);
  assert.ok(fs.existsSync(path.join(out, "about.md")));
  assert.ok(fs.existsSync(path.join(out, "_themes.yaml")));
  assert.match(fs.readFileSync(path.join(out, "unfinished-thought.md"), "utf8"), /^draft: true$/m);

  // A fresh database. (On PostgreSQL the first schema is dropped first: the foundation's migrator
  // cannot yet create a second liner schema while another one exists in the same database.)
  await e.cleanup();
  e = await cliEnv();
  const imp = await runCli(["import", "markdown", out], { env: e.env });
  assert.equal(imp.code, 0, imp.stderr);
  assert.equal(imp.stdout.trim(), `imported ${original.posts.length}, updated 0, unchanged 0, failed 0`);
  const copy = await snapshot(e);
  assert.deepEqual(copy.posts, original.posts);
  assert.deepEqual(copy.themes, original.themes);
  assert.ok(
    copy.themes.some((t) => t.description.length > 80),
    "theme descriptions travel too",
  );
  // And the copy exports to the very same files.
  const out2 = tmp("liner-export-");
  await runCli(["export", "markdown", out2], { env: e.env });
  assert.deepEqual(fs.readdirSync(out2).sort(), fs.readdirSync(out).sort());
  for (const f of fs.readdirSync(out)) {
    assert.equal(fs.readFileSync(path.join(out2, f), "utf8"), fs.readFileSync(path.join(out, f), "utf8"), f);
  }
});

test("post publish creates, then updates by slug, and prints the URL", async () => {
  const dir = tmp("liner-post-");
  const file = path.join(dir, "2024-05-01-one-post.md");
  fs.writeFileSync(
    file,
    "---\ntitle: One post\ntags: [Writing]\n---\n\nFirst version, after [Ada](https://ada.example/notes/1).\n",
  );
  const env = { ...e.env, LINER_BASE_URL: "https://dana.example" };
  const created = await runCli(["post", "publish", file], { env });
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stdout, "https://dana.example/posts/one-post\n");
  assert.match(created.stderr, /Created, published/);
  // Published by hand, it is announced like the editor's: here, its Webmentions are queued.
  const queued = await withDb(e, (ctx) => ctx.db.kysely.selectFrom("jobs").select("kind").execute());
  assert.ok(
    queued.some((j) => j.kind === "conversation.webmention-post"),
    JSON.stringify(queued),
  );

  fs.writeFileSync(file, "---\ntitle: One post, revised\ntags: [Writing]\n---\n\nSecond version.\n");
  const updated = await runCli(["post", "publish", file], { env });
  assert.equal(updated.stdout, "https://dana.example/posts/one-post\n");
  assert.match(updated.stderr, /Updated, published/);
  const post = await withDb(e, (ctx) => postStore(ctx.db).bySlug("one-post"));
  assert.equal(post?.title, "One post, revised");
  assert.equal(post?.status, "published");
  assert.equal(post?.published_at, "2024-05-01T00:00:00.000Z");
  assert.equal(await withDb(e, async (ctx) => postStore(ctx.db).count({})), 1);

  const draft = path.join(dir, "draft.md");
  fs.writeFileSync(draft, "---\ntitle: Not yet\ndraft: true\n---\nLater.\n");
  const d = await runCli(["post", "publish", draft], { env });
  assert.match(d.stderr, /saved as a draft/);
  assert.equal((await withDb(e, (ctx) => postStore(ctx.db).bySlug("draft")))?.status, "draft");

  const future = path.join(dir, "future.md");
  fs.writeFileSync(future, "---\ntitle: Next year\ndate: 2999-01-01\n---\nSoon.\n");
  const f = await runCli(["post", "publish", future], { env });
  assert.match(f.stderr, /scheduled for 2999-01-01T00:00:00\.000Z/);

  const bad = path.join(dir, "bad.md");
  fs.writeFileSync(bad, "---\ntitle: Bad date\ndate: someday\n---\n");
  const b = await runCli(["post", "publish", bad], { env });
  assert.equal(b.code, 1);
  assert.equal(b.stderr, `liner: ${bad}:3: date: cannot read "someday" as a date (use YYYY-MM-DD or ISO 8601)\n`);
  const missing = await runCli(["post", "publish", path.join(dir, "nope.md")], { env });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope\.md: no such file/);
});

test("a large import renders in worker threads and gives the same result", async () => {
  const dir = tmp("liner-many-");
  for (let i = 0; i < 240; i++) {
    const tags = i % 3 === 0 ? "[Social web, Writing]" : "[Learning in public]";
    const body = `Paragraph ${i} with **bold** words.\n\n- a list item\n- another one\n`;
    fs.writeFileSync(
      path.join(dir, `post-${i}.md`),
      `---\ntitle: Post ${i}\ndate: 2024-01-01\ntags: ${tags}\n---\n${body}`,
    );
  }
  const r = await runCli(["import", "markdown", dir, "--workers", "2"], { env: e.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), "imported 240, updated 0, unchanged 0, failed 0");
  const p = await withDb(e, (ctx) => postStore(ctx.db).bySlug("post-239"));
  assert.match(p?.body_html ?? "", /<strong>bold<\/strong>[\s\S]*<li>another one<\/li>/);
  const bad = await runCli(["import", "markdown", dir, "--workers", "many"], { env: e.env });
  assert.equal(bad.code, 2);
});
