import assert from "node:assert/strict";
import fs from "node:fs";
import type http from "node:http";
import { after, afterEach, before, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { signIn } from "../../auth/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { serve, type TestServer } from "../../lib/net/test-server.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { registerConversationJobs } from "../jobs.ts";
import { postWithApp } from "../testing.ts";

const TARGET = "http://127.0.0.1:4321/posts/hello";
const fixture = (name: string) =>
  fs.readFileSync(new URL(`../testdata/mentions/${name}.html`, import.meta.url), "utf8");

let source: TestServer;
/** What /mutable answers: [status, body]. */
let mutable: [number, string] = [200, ""];
before(async () => {
  source = await serve((req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const self = `${source.origin}${path}`;
    const html = (status: number, body: string) =>
      res
        .writeHead(status, { "content-type": "text/html; charset=utf-8" })
        .end(body.replaceAll("{{TARGET}}", TARGET).replaceAll("{{SOURCE}}", self));
    if (path.startsWith("/m/")) return html(200, fixture(path.slice(3)));
    if (path === "/mutable") return html(mutable[0], mutable[1]);
    if (path === "/huge") return html(200, `<a href="${TARGET}">x</a>${"<p>padding</p>".repeat(200_000)}`);
    if (path === "/json")
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ url: TARGET }));
    if (path === "/loop") return res.writeHead(302, { location: "/loop" }).end();
    res.writeHead(404).end();
  });
});
after(() => source.close());

let ctx: TestContext;
let app: Hono<AppEnv>;
beforeEach(async () => {
  ctx = await createTestContext();
  ({ app } = await postWithApp(ctx));
  registerConversationJobs(ctx);
});
afterEach(() => ctx.cleanup());

const send = (fields: Record<string, string>) =>
  app.request("/webmention", {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
const mention = async (path: string) => {
  const res = await send({ source: `${source.origin}${path}`, target: TARGET });
  assert.equal(res.status, 201, await res.clone().text());
  await ctx.runner.drain();
  return res;
};
const items = () => ctx.db.kysely.selectFrom("conversation_items").selectAll().orderBy("id").execute();
const status = async (res: Response) =>
  (await (await app.request(new URL(res.headers.get("location") ?? "").pathname)).json()) as {
    status: string;
    detail: string;
  };

test("a reply with an h-card author: 201 with a status URL, verified later, held as the domain's first, then shown as a comment", async () => {
  const res = await send({ source: `${source.origin}/m/reply`, target: TARGET });
  assert.equal(res.status, 201);
  assert.match(res.headers.get("location") ?? "", /^http:\/\/127.0.0.1:4321\/webmention\/status\/.+/);
  assert.equal((await status(res)).status, "queued");
  await ctx.runner.drain();
  assert.deepEqual(await status(res), { ...(await status(res)), status: "verified", detail: "reply" });
  const [item] = await items();
  assert.equal(item.kind, "reply");
  assert.equal(item.via, "webmention");
  assert.equal(item.status, "pending", "the first mention from a domain is held");
  assert.equal(item.author_name, "Aaron Parecki");
  assert.equal(item.author_url, "https://aaron.example/");
  assert.equal(item.source_url, `${source.origin}/m/reply`);
  assert.equal(item.author_photo, "https://aaron.example/photo.jpg");
  assert.match(item.text, /Great post!/);
  assert.equal(item.published_at, "2026-02-28T09:30:00.000Z");
  const owner = await signIn(ctx, app, { role: "owner" });
  await owner.form("/admin/conversations/bulk", { action: "approve", id: String(item.id) });
  const page = await (await app.request("/posts/hello")).text();
  assert.match(page, /Aaron Parecki<\/a>/);
  assert.match(page, /via 127\.0\.0\.1/);
  assert.match(
    page,
    /Great post! I have been thinking about this too\./,
    "as plain text: the source's markup is not carried over",
  );
  // The same domain is known now: its next mention publishes at once.
  await mention("/m/like");
  assert.equal((await items())[1].status, "approved");
});

test("likes and reposts are face piles linking to their sources; an h-card only on the page, or no author at all, still works", async () => {
  const owner = await signIn(ctx, app, { role: "owner" });
  for (const f of ["like", "repost", "hcard-only", "no-author"]) await mention(`/m/${f}`);
  const all = await items();
  assert.deepEqual(
    all.map((i) => [i.kind, i.author_name]),
    [
      ["like", "Tantek"],
      ["repost", "Ry Reposter"],
      ["mention", "Kim Site"],
      ["mention", "127.0.0.1"],
    ],
  );
  assert.equal(all[2].author_url, `${source.origin}/`, "the page's h-card, its URL made absolute");
  assert.equal(all[2].author_photo, `${source.origin}/me.png`);
  await owner.form("/admin/conversations/bulk", { action: "approve", id: all.map((i) => String(i.id)) });
  const page = await (await app.request("/posts/hello")).text();
  assert.match(
    page,
    /<h3>1 like<\/h3><ul><li class="u-like h-cite"><a class="u-url" href="http:\/\/127.0.0.1:\d+\/m\/like" title="Tantek"><span class="p-author h-card"><img class="u-photo" src="https:\/\/tantek.example\/logo.jpg"/,
  );
  assert.match(page, /<data class="u-url" value="https:\/\/tantek.example\/"><\/data>/, "the person's own URL");
  assert.match(
    page,
    /<h3>1 repost<\/h3><ul><li class="u-repost h-cite">.*?<span class="face-initials" aria-hidden="true">RR<\/span>/s,
  );
  assert.match(page, /Kim Site<\/a> mentioned this/);
});

test("bad Webmentions get 400 with the reason; broken sources are recorded, not stored", async () => {
  const cases: [Record<string, string>, RegExp][] = [
    [
      { source: `${source.origin}/m/reply`, target: "https://elsewhere.example/posts/hello" },
      /elsewhere.example is not this site/,
    ],
    [
      { source: `${source.origin}/m/reply`, target: "http://127.0.0.1:4321/posts/nope" },
      /\/posts\/nope is not a published post/,
    ],
    [{ source: `${source.origin}/m/reply` }, /target: missing/],
    [{ source: "not a url", target: TARGET }, /source: not a URL/],
    [{ source: "ftp://x.example/a", target: TARGET }, /only http and https/],
    [{ source: TARGET, target: TARGET }, /the same page/],
  ];
  for (const [fields, says] of cases) {
    const res = await send(fields);
    assert.equal(res.status, 400, JSON.stringify(fields));
    assert.match(await res.text(), says);
  }
  const json = await app.request("/webmention", {
    method: "POST",
    body: "{}",
    headers: { "content-type": "application/json" },
  });
  assert.equal(json.status, 415);
  for (const [path, want, says] of [
    ["/m/no-link", "rejected", /does not link to the target/],
    ["/json", "rejected", /not HTML/],
    ["/huge", "failed", /larger than/i],
    ["/loop", "failed", /redirect/i],
    ["/missing", "failed", /404/],
  ] as const) {
    const res = await mention(path);
    const s = await status(res);
    assert.equal(s.status, want, path);
    assert.match(s.detail, says, path);
  }
  assert.equal((await items()).length, 0);
});

test("a repeat updates; a source that breaks keeps the item; 410 Gone or a lost link removes it", async () => {
  mutable = [200, fixture("reply")];
  await mention("/mutable");
  const [first] = await items();
  mutable = [200, fixture("reply").replace("Great post!", "Updated: great post!")];
  await mention("/mutable");
  const again = await items();
  assert.equal(again.length, 1, "the same source updates its item");
  assert.match(again[0].text, /^Updated: great post!/);
  assert.equal(again[0].id, first.id);
  mutable = [404, "gone for now"];
  await mention("/mutable");
  assert.equal((await items()).length, 1, "a source that breaks loses nothing stored");
  mutable = [200, fixture("no-link")];
  await mention("/mutable");
  assert.equal((await items()).length, 0, "no longer links: removed");
  mutable = [200, fixture("like")];
  await mention("/mutable");
  assert.equal((await items()).length, 1);
  mutable = [410, "deleted"];
  const res = await mention("/mutable");
  assert.equal((await status(res)).status, "removed");
  assert.equal((await items()).length, 0, "410 Gone: removed");
});

test("the endpoint is rate-limited per address", async () => {
  ctx.config.webmentionsPerHour = 2;
  const app2 = (await postWithAppAgain()).app;
  for (let i = 0; i < 2; i++) {
    const r = await app2.request("/webmention", {
      method: "POST",
      body: new URLSearchParams({ source: `${source.origin}/m/reply?${i}`, target: TARGET }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(r.status, 201);
  }
  const over = await app2.request("/webmention", {
    method: "POST",
    body: new URLSearchParams({ source: `${source.origin}/m/like`, target: TARGET }),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(over.status, 429);
});

async function postWithAppAgain() {
  const { createApp } = await import("../../app.ts");
  return { app: await createApp(ctx) };
}

test("a hostile source: no script, no javascript: link, no markup reaches the page", async () => {
  await mention("/m/hostile");
  const [item] = await items();
  assert.equal(item.kind, "reply");
  assert.match(item.author_url, /^https?:\/\//);
  assert.match(item.source_url, /^http:\/\/127\.0\.0\.1:\d+\/m\/hostile$/);
  assert.equal(item.author_photo, "");
  const owner = await signIn(ctx, app, { role: "owner" });
  await owner.form("/admin/conversations/bulk", { action: "approve", id: String(item.id) });
  const page = await (await app.request("/posts/hello")).text();
  const section = page.slice(page.indexOf('id="comments"'), page.indexOf("</section>", page.indexOf('id="comments"')));
  assert.doesNotMatch(section, /javascript:|<script|onerror/i);
  assert.match(section, /&lt;script&gt;|alert\(5\)|Nice/);
});

test("an entry whose only link is our post keeps its own page as the source; short and old addresses of a post are targets", async () => {
  await mention("/m/implied");
  const [item] = await items();
  assert.equal(item.source_url, `${source.origin}/m/implied`, "not our own post (an implied u-url)");
  assert.equal(item.author_url, `${source.origin}/`, "the source's own scheme and port");
  const short = await send({ source: `${source.origin}/m/like`, target: "http://127.0.0.1:4321/hello" });
  assert.equal(short.status, 201, "the short address /SLUG");
  const home = await send({ source: `${source.origin}/m/like`, target: "http://127.0.0.1:4321/" });
  assert.equal(home.status, 400);
  assert.match(await home.text(), /home page takes no Webmentions/);
});

test("Webmentions arriving together are stored together: each answered 201 with its own status, none lost, a repeat once", async () => {
  ctx.config.webmentionsPerHour = 1000;
  const app2 = (await postWithAppAgain()).app;
  const post = (i: number) =>
    app2.request("/webmention", {
      method: "POST",
      body: new URLSearchParams({ source: `${source.origin}/m/like?n=${i % 30}`, target: TARGET }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  // 40 at once, 10 of them repeats of others in the same moment.
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => post(i)));
  assert.deepEqual([...new Set(answers.map((r) => r.status))], [201]);
  const rows = await ctx.db.kysely.selectFrom("webmentions_in").select(["id", "source"]).execute();
  assert.equal(rows.length, 30, "one row per source and target");
  assert.equal(new Set(answers.map((r) => r.headers.get("location"))).size, 30);
  const jobs = await ctx.db.kysely
    .selectFrom("jobs")
    .select("payload")
    .where("kind", "=", "conversation.webmention-verify")
    .execute();
  assert.equal(new Set(jobs.map((j) => j.payload)).size, 30, "a verification for every row");
  await ctx.runner.drain();
  assert.equal((await items()).length, 30);
});

test("our own pages are not mentions; a mention through the short address is the same as through the full one", async () => {
  const self = await send({ source: "http://127.0.0.1:4321/posts/hello?x=1", target: TARGET });
  assert.equal(self.status, 400);
  assert.match(await self.text(), /a page of this site/);
  mutable = [200, fixture("like").replaceAll("{{TARGET}}", "http://127.0.0.1:4321/hello")];
  let r = await send({ source: `${source.origin}/mutable`, target: "http://127.0.0.1:4321/hello" });
  assert.equal(r.status, 201);
  await ctx.runner.drain();
  const [like] = await items();
  assert.equal(like.kind, "like", "the short address counts for the kind too");
  mutable = [200, fixture("no-link")];
  r = await send({ source: `${source.origin}/mutable`, target: TARGET });
  await ctx.runner.drain();
  assert.equal((await status(r)).status, "removed");
  assert.equal((await items()).length, 0, "removed through the full address");
});
