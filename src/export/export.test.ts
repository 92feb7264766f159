/**
 * `liner export all DIR` and the owner's download (issue 13, "Backups and data portability"):
 * every part present and readable by the program its format is for, the same files in the
 * archive as in the folder, owner only, and a folder with something in it refused.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { after, before, test } from "node:test";
import { parse as parseCsv } from "csv-parse/sync";
import { parseOpml } from "feedsmith";
import type { Hono } from "hono";
import ICAL from "ical.js";
import { parse as parseYaml } from "yaml";
import { createApp } from "../app.ts";
import { signIn } from "../auth/testing.ts";
import { main } from "../cli/main.ts";
import { type CliEnv, cliEnv, runCli } from "../cli/testing.ts";
import type { AppContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { TEST_PASSWORD_HASH } from "../lib/testing.ts";
import { PDF_BYTES, seedSite, untar } from "./testing.ts";

let env: CliEnv;
let ctx: AppContext;
let app: Hono<AppEnv>;
let seeded: Awaited<ReturnType<typeof seedSite>>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "liner-export-"));
/** The export every test reads: `liner export all` into a folder that did not exist, on a terminal. */
const dir = path.join(tmp, "new", "site");
let run: { code: number | "running"; stdout: string; stderr: string };

/** A terminal's stream (progress bars draw only on one), keeping what is written. */
const terminal = () => ({
  isTTY: true,
  columns: 100,
  text: "",
  write(s: string) {
    this.text += s;
    return true;
  },
});

before(async () => {
  env = await cliEnv();
  ctx = await env.open();
  ctx.config.passwordHash = TEST_PASSWORD_HASH;
  seeded = await seedSite(ctx);
  app = await createApp(ctx);
  const [stdout, stderr] = [terminal(), terminal()];
  const code = await main(["export", "all", dir], { stdout, stderr, stdin: Readable.from([]), env: env.env });
  run = { code, stdout: stdout.text, stderr: stderr.text };
});
after(async () => {
  const { closeContext } = await import("../lib/context.ts");
  await closeContext(ctx);
  await env.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every file under `dir`, relative, "/"-separated, sorted. */
function listing(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, encoding: "utf8" }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join("/"))
    .sort();
}

type Row = Record<string, string>;
const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), "utf8");

test("liner export all DIR creates DIR, shows progress on a terminal and prints a summary per part", () => {
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^Exported the site to .*:\n/);
  for (const line of [
    /site\.json +1 file/,
    /posts\/ +4 posts\n/,
    /media\/ +1 upload\n/,
    /sources\.opml +1 source\n/,
    /saves\.json +1 save\n/,
    /lists\.csv +\d+ lists?\n/,
    /subscribers\.csv +1 subscriber\n/,
    /events\.ics +1 event\n/,
    /registrants\/ +1 registration\n/,
    /inquiries\.csv +1 inquiry\n/,
    /digests\/ +1 digest\n/,
  ]) {
    assert.match(run.stdout, line);
  }
  assert.match(run.stdout, /README\.txt describes each file\.\n$/);
  assert.ok(!run.stdout.includes("\r"), "the summary stays clean");
  const frames = run.stderr.split("\r");
  assert.ok(
    frames.some((f) => /^Exporting posts\/ +\[#+\] (\d+)\/\1 100%/.test(f)),
    run.stderr,
  );
  assert.ok(
    frames.some((f) => /^Exporting media\/ +\[#+\] 1\/1 100%/.test(f)),
    run.stderr,
  );
  assert.equal(frames.at(-1), "\x1b[K", "the last bar is erased");
});

test("every part is in its open format: Markdown that parses back, OPML, CSV with consent, iCalendar, JSON", () => {
  const files = listing(dir);
  for (const f of [
    "README.txt",
    "site.json",
    "posts/_themes.yaml",
    "posts/owning-your-audience.md",
    `media/${seeded.pdfFile}`,
    "media/_media.json",
    "sources.opml",
    "saves.json",
    "lists.csv",
    "subscribers.csv",
    "events.ics",
    `registrants/${seeded.eventSlug}.csv`,
    "inquiries.csv",
    "conversations.jsonl",
    "digests/_digests.json",
  ]) {
    assert.ok(files.includes(f), `${f} is in the export (${files.join(", ")})`);
  }

  // Posts: front matter that parses back, with the body after it.
  const posts = files.filter((f) => /^posts\/[^_].*\.md$/.test(f));
  assert.deepEqual(posts, [
    "posts/about.md",
    "posts/an-idea-for-later.md",
    "posts/owning-your-audience.md",
    "posts/small-wins-on-the-social-web.md",
  ]);
  for (const f of posts) {
    const m = /^---\n([\s\S]*?)\n---\n\n([\s\S]*)$/.exec(read(dir, f));
    assert.ok(m, `${f} has front matter`);
    const fm = parseYaml(m[1]);
    assert.equal(`posts/${fm.slug}.md`, f);
    assert.equal(typeof fm.title, "string");
  }
  assert.match(read(dir, "posts/owning-your-audience.md"), /kind: event\n[\s\S]*\n\nBring a laptop\.\n$/);
  assert.match(read(dir, "posts/an-idea-for-later.md"), /\nkind: note\ndraft: true\n/, "drafts too");
  assert.match(read(dir, "posts/about.md"), /\nkind: page\n/, "pages too");
  assert.match(
    read(dir, "posts/_themes.yaml"),
    /name: Workshops\n\s+slug: workshops\n\s+description: Hands-on sessions\./,
  );

  // Media: the uploaded bytes, and the index.
  assert.deepEqual(fs.readFileSync(path.join(dir, "media", seeded.pdfFile)), PDF_BYTES);
  const media = JSON.parse(read(dir, "media/_media.json"));
  assert.equal(media[0].original_name, "Talk slides.pdf");

  // Sources: OPML that a reader parses, the folder kept.
  const opml = parseOpml(read(dir, "sources.opml"));
  const friends = opml.body?.outlines?.find((o) => o.text === "Friends");
  assert.equal(friends?.outlines?.[0]?.xmlUrl, "https://bob.example/feed.xml");

  // Saves: the credit chain, nearest first.
  const [save] = JSON.parse(read(dir, "saves.json"));
  assert.equal(save.url, "https://article.example/story");
  assert.equal(save.blurb_md, "Why it *matters*.");
  assert.deepEqual(save.credits, [
    { name: "Bob", url: "https://bob.example/" },
    { name: "Carol's Podcast", url: "https://carol.example/pod" },
  ]);
  assert.equal(save.credit_line, "via Bob, who found it at Carol's Podcast");

  // Subscribers: a header, the consent record, a formula-looking address made text.
  const subs = parseCsv(read(dir, "subscribers.csv"), { columns: true }) as Row[];
  assert.deepEqual(Object.keys(subs[0]), [
    "email",
    "name",
    "list",
    "status",
    "requested_at",
    "confirmed_at",
    "unsubscribed_at",
    "source",
    "source_page",
    "promise_shown",
  ]);
  const ann = subs.find((s) => s.list === "field-notes");
  assert.equal(ann?.email, "'=ann@example.com");
  assert.equal(ann?.status, "confirmed");
  assert.equal(ann?.source, "form");
  assert.match(ann?.promise_shown ?? "", /^One email a week, no tracking\./);
  assert.ok(ann?.confirmed_at);

  // Events: iCalendar that parses, with the event's VEVENT.
  const cal = new ICAL.Component(ICAL.parse(read(dir, "events.ics")));
  const vevents = cal.getAllSubcomponents("vevent");
  assert.equal(vevents.length, 1);
  assert.equal(vevents[0].getFirstPropertyValue("summary"), "Owning your audience");
  const guests = parseCsv(read(dir, `registrants/${seeded.eventSlug}.csv`), { columns: true }) as Row[];
  assert.equal(guests[0].email, "guest@example.com");

  const inquiries = parseCsv(read(dir, "inquiries.csv"), { columns: true }) as Row[];
  assert.equal(inquiries[0].message, "Could you run it for our team?");
  const said = read(dir, "conversations.jsonl")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    said.map((c) => [c.kind, c.via, c.post, c.author.name, c.text]),
    [["comment", "site", "owning-your-audience", "Cora", "This changed how I write."]],
  );
  const digests = JSON.parse(read(dir, "digests/_digests.json"));
  assert.equal(digests[0].title, "Week one");
  assert.match(read(dir, `digests/${digests[0].file}`), /^# Week one\n/);

  // README.txt names every part.
  const readme = read(dir, "README.txt");
  for (const p of ["posts/", "media/", "sources.opml", "saves.json", "subscribers.csv", "events.ics", "digests/"]) {
    assert.ok(readme.includes(`\n${p} (`), `README.txt describes ${p}`);
  }
});

test("a folder with something in it is refused unless --force, which replaces only the export's files", async () => {
  const busy = path.join(tmp, "busy");
  fs.mkdirSync(path.join(busy, "posts"), { recursive: true });
  fs.writeFileSync(path.join(busy, "notes.txt"), "mine");
  fs.writeFileSync(path.join(busy, "posts", "gone.md"), "an old export's post");
  const r = await runCli(["export", "all", busy], { env: env.env });
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    `liner: ${busy} is not empty: name a new or empty folder, or add --force to replace an earlier export in it\n`,
  );
  assert.deepEqual(listing(busy), ["notes.txt", "posts/gone.md"], "nothing written");

  const file = path.join(tmp, "a-file");
  fs.writeFileSync(file, "");
  const f = await runCli(["export", "all", file], { env: env.env });
  assert.equal(f.code, 1);
  assert.match(f.stderr, /is a file, not a folder/);

  const forced = await runCli(["export", "all", busy, "--force"], { env: env.env });
  assert.equal(forced.code, 0, forced.stderr);
  const files = listing(busy);
  assert.ok(files.includes("notes.txt"), "other files are left alone");
  assert.ok(!files.includes("posts/gone.md"), "the export's folders are replaced whole");
  assert.ok(files.includes("saves.json"));
});

test("the owner downloads the same files as a .tar.gz; an editor may not", async () => {
  const owner = await signIn(ctx, app, { role: "owner" });
  const pageRes = await owner.request("/admin/export");
  assert.equal(pageRes.status, 200);
  const page = await pageRes.text();
  assert.match(page, /href="\/admin\/export\/download"/);
  assert.match(page, /<dt><code>subscribers\.csv<\/code><\/dt>/);
  assert.match(page, /and so can <code>liner sources import-opml<\/code>\./);

  const res = await owner.request("/admin/export/download");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/gzip");
  assert.equal(res.headers.get("cache-control"), "no-store");
  const name = `liner-export-${ctx.now().toISOString().slice(0, 10)}`;
  assert.equal(res.headers.get("content-disposition"), `attachment; filename="${name}.tar.gz"`);
  const files = await untar(new Uint8Array(await res.arrayBuffer()));
  const names = [...files.keys()];
  assert.ok(
    names.every((n) => n.startsWith(`${name}/`)),
    "everything unpacks into one folder",
  );
  assert.deepEqual(names.map((n) => n.slice(name.length + 1)).sort(), listing(dir));
  assert.deepEqual(files.get(`${name}/media/${seeded.pdfFile}`), PDF_BYTES);
  assert.equal(
    files.get(`${name}/posts/owning-your-audience.md`)?.toString(),
    read(dir, "posts/owning-your-audience.md"),
  );

  const editor = await signIn(ctx, app, { role: "editor" });
  assert.equal((await editor.request("/admin/export/download")).status, 403);
  assert.equal((await editor.request("/admin/export")).status, 403);
  assert.doesNotMatch(await (await editor.request("/admin/posts")).text(), /href="\/admin\/export"/);
});

test("a folder part with nothing in it is not created, and README.txt says so", async () => {
  await ctx.db.kysely.deleteFrom("registrations").execute();
  const to = path.join(tmp, "no-registrations");
  const r = await runCli(["export", "all", to], { env: env.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(fs.existsSync(path.join(to, "registrants")), false);
  assert.match(read(to, "README.txt"), /\nregistrants\/ \(0 registrations; none, so the folder is not there\)\n/);
  assert.match(read(to, "README.txt"), /\ndigests\/ \(\d+ digests?\)\n/, "a folder with files in it as before");
});
