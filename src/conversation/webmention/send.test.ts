import assert from "node:assert/strict";
import type http from "node:http";
import { after, afterEach, before, beforeEach, test } from "node:test";
import { Hono } from "hono";
import { createApp } from "../../app.ts";
import { signIn } from "../../auth/testing.ts";
import { deletePost } from "../../content/index.ts";
import { savePost, saveTheme, systemActor } from "../../content/testing.ts";
import { CliError } from "../../lib/cli.ts";
import { statusOf } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { type CliIo, moduleHost } from "../../lib/module.ts";
import { serve, type TestServer } from "../../lib/net/test-server.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { webmentionSendRoutes } from "./admin-sends.ts";
import { webmentionSend } from "./cli-send.ts";
import { onPostChanged } from "./outgoing.ts";
import { registerSendJobs } from "./send-jobs.ts";
import { sendStore } from "./send-store.ts";

/** What the endpoints received: the endpoint's path, and the form's source and target. */
interface Received {
  path: string;
  source: string;
  target: string;
  type: string;
}

let site: TestServer;
let received: Received[] = [];
let flakyCalls = 0;

const page = (head: string, body = "") =>
  `<!doctype html><html><head><title>t</title>${head}</head><body>${body}</body></html>`;

// Target pages advertising their endpoints in each way discovery knows: [head, body, Link header].
const pages: Record<string, [string, string, string?]> = {
  // The Link header comes first (relative, with a query string, among other rels): the tag loses.
  "/header": [`<link rel="webmention" href="/wrong">`, "", `<ep-a?via=header>; rel="other webmention"`],
  "/tag": [`<link rel="webmention" href="/ep-b">`, ""],
  // An endpoint inside a comment is not one.
  "/anchor": ["", `<!-- <a rel="webmention" href="/wrong"> --><p><a href="/ep-c" rel="webmention">wm</a></p>`],
  "/none": ["", "<p>No endpoint here.</p>"],
  "/flaky": [`<link rel="webmention" href="/ep-flaky">`, ""],
  "/refuses": [`<link rel="webmention" href="/ep-400">`, ""],
};

/** The endpoints' answers: [status, body, headers]; /ep-flaky is busy on its first call. */
function endpointAnswer(path: string): [number, string, Record<string, string>] {
  if (path === "/ep-flaky" && flakyCalls++ === 0) return [503, "busy", {}];
  if (path === "/ep-400") return [400, "target not found", { "content-type": "text/plain" }];
  if (path === "/ep-b") return [201, "", { Location: `${site.origin}/status/1` }];
  if (path === "/ep-c") return [200, "ok", {}];
  return [202, "", {}];
}

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://x");
  if (req.method === "GET") {
    const p = pages[url.pathname];
    if (!p) res.writeHead(404).end();
    else {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...(p[2] ? { Link: p[2] } : {}) });
      res.end(page(p[0], p[1]));
    }
    return;
  }
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (d) => {
    body += d;
  });
  req.on("end", () => {
    const form = new URLSearchParams(body);
    received.push({
      path: url.pathname + url.search,
      source: form.get("source") ?? "",
      target: form.get("target") ?? "",
      type: req.headers["content-type"] ?? "",
    });
    const [status, text, headers] = endpointAnswer(url.pathname);
    res.writeHead(status, headers).end(text);
  });
}

before(async () => {
  site = await serve(handler);
});
after(async () => {
  await site.close();
});

let ctx: TestContext;
let themeId: number;

async function setup(overrides = {}): Promise<void> {
  ctx = await createTestContext(overrides);
  // The conversation module is not in the app's list yet: a host with just its listener.
  ctx.host = moduleHost([{ name: "conversation", events: async () => ({ "post.changed": onPostChanged }) }]);
  registerSendJobs(ctx);
  themeId = (await saveTheme(ctx, { name: "Web" })).id;
}

beforeEach(() => {
  received = [];
  flakyCalls = 0;
});
afterEach(async () => {
  await ctx.cleanup();
});

const publish = (body: string, id?: number, slug = "notes") =>
  savePost(ctx, systemActor, { title: "Notes", slug, body, status: "published", themeIds: [themeId] }, id);

const pairs = () => received.map((r) => `${r.path} ${r.source} ${r.target}`).sort();
const rowsByTarget = async (postId: number) =>
  new Map((await sendStore(ctx.db).ofPost(postId)).map((r) => [r.target.replace(site.origin, ""), r]));

test("publishing sends to every linked page's endpoint, however it is advertised, and only there", async () => {
  await setup();
  const o = site.origin;
  const post = await publish(
    `See [h](${o}/header), [t](${o}/tag#part), [a](${o}/anchor), [n](${o}/none), [t again](${o}/tag),
[mine](http://127.0.0.1:4321/posts/other), [relative](/about) and [mail](mailto:a@example.com).`,
  );
  await ctx.runner.drain();
  const src = "http://127.0.0.1:4321/posts/notes";
  assert.deepEqual(pairs(), [
    `/ep-a?via=header ${src} ${o}/header`,
    `/ep-b ${src} ${o}/tag`,
    `/ep-c ${src} ${o}/anchor`,
  ]);
  assert.ok(received.every((r) => r.type === "application/x-www-form-urlencoded"));
  const rows = await rowsByTarget(post.id);
  assert.deepEqual([...rows].map(([t, r]) => `${t} ${r.status} ${r.endpoint.replace(o, "")} ${r.attempts}`).sort(), [
    "/anchor sent /ep-c 1",
    "/header accepted /ep-a?via=header 1",
    "/none no-endpoint  1",
    "/tag accepted /ep-b 1",
  ]);
  assert.equal(rows.get("/tag")?.detail, `status at ${o}/status/1`);
});

test("an update re-sends, tells a page no longer linked once, and a deleted post tells its old targets", async () => {
  await setup();
  const o = site.origin;
  const post = await publish(`[h](${o}/header) [t](${o}/tag)`);
  await ctx.runner.drain();
  assert.equal(received.length, 2);

  received = [];
  await publish(`Only [h](${o}/header) now.`, post.id, "renamed");
  await ctx.runner.drain();
  const src = "http://127.0.0.1:4321/posts/renamed";
  assert.deepEqual(pairs(), [`/ep-a?via=header ${src} ${o}/header`, `/ep-b ${src} ${o}/tag`]);
  assert.equal((await rowsByTarget(post.id)).get("/tag")?.linked, 0);

  received = [];
  await publish(`Only [h](${o}/header), edited.`, post.id, "renamed");
  await ctx.runner.drain();
  assert.deepEqual(pairs(), [`/ep-a?via=header ${src} ${o}/header`], "the unlinked page is told only once");

  received = [];
  await deletePost(ctx, systemActor, post.id);
  await ctx.runner.drain();
  assert.deepEqual(pairs(), [`/ep-a?via=header ${src} ${o}/header`]);
  const rows = await rowsByTarget(post.id);
  assert.equal(rows.size, 2, "one row per target, however often it was sent");
  assert.ok([...rows.values()].every((r) => r.linked === 0));
});

test("a 5xx is retried with backoff until accepted; a 4xx fails with the endpoint's reason, once", async () => {
  await setup();
  const o = site.origin;
  const post = await publish(`[f](${o}/flaky) [r](${o}/refuses)`);
  await ctx.runner.drain();
  let rows = await rowsByTarget(post.id);
  assert.equal(rows.get("/flaky")?.status, "failed");
  assert.equal(rows.get("/flaky")?.detail, "the endpoint answered 503: busy (will retry)");
  assert.equal(rows.get("/refuses")?.status, "failed");
  assert.equal(rows.get("/refuses")?.detail, "the endpoint answered 400: target not found");

  ctx.setNow(new Date(Date.now() + 3_600_000));
  await ctx.runner.drain();
  rows = await rowsByTarget(post.id);
  assert.equal(rows.get("/flaky")?.status, "accepted");
  assert.equal(rows.get("/flaky")?.attempts, 2);
  assert.equal(rows.get("/refuses")?.attempts, 1, "a 4xx is not retried");
  assert.equal(received.filter((r) => r.path === "/ep-flaky").length, 2);
  assert.equal(received.filter((r) => r.path === "/ep-400").length, 1);
});

test("a loopback target is refused by the fetcher's guard unless private fetches are allowed", async () => {
  await setup({ allowPrivateFetch: false });
  const post = await publish(`[h](${site.origin}/header)`);
  const before = site.connections();
  await ctx.runner.drain();
  const row = (await rowsByTarget(post.id)).get("/header");
  assert.equal(row?.status, "failed");
  assert.match(row?.detail ?? "", /^could not fetch the page: .*refused/i);
  assert.equal(site.connections(), before, "never connected");
  const jobs = await ctx.db.kysely.selectFrom("jobs").select(["kind", "status"]).execute();
  assert.ok(
    jobs.every((j) => j.status === "done"),
    "not retried",
  );
});

test("the post's admin page shows each target's result, and Send now queues them again", async () => {
  await setup();
  const o = site.origin;
  const post = await publish(`[t](${o}/tag) [n](${o}/none) [r](${o}/refuses)`);
  await ctx.runner.drain();
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("user", { id: 1, email: "ed@example.com", name: "Ed", role: "editor" });
    c.set("csrfToken", "t");
    await next();
  });
  webmentionSendRoutes(ctx, app);
  app.onError((err, c) => c.text(err.message, statusOf(err) as 404));
  const res = await app.request(`/posts/${post.id}/webmentions`);
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.match(text, /Accepted<\/span> status at http:\/\/127\.0\.0\.1:\d+\/status\/1/);
  assert.match(text, /No endpoint<\/span>/);
  assert.match(text, /Failed<\/span> the endpoint answered 400: target not found/);
  assert.match(text, new RegExp(`${o}/ep-400`));
  assert.equal((await app.request("/posts/99999/webmentions")).status, 404);

  received = [];
  const sent = await app.request(`/posts/${post.id}/webmentions`, { method: "POST" });
  assert.equal(sent.status, 303);
  assert.equal(sent.headers.get("location"), `/admin/posts/${post.id}/webmentions?msg=queued`);
  await ctx.runner.drain();
  assert.deepEqual(received.map((r) => r.path).sort(), ["/ep-400", "/ep-b"]);
});

test("liner webmention send URL sends now and prints one line per target; an unknown post is an error", async () => {
  await setup();
  const o = site.origin;
  await publish(`[t](${o}/tag) [n](${o}/none)`);
  let out = "";
  const io = {
    stdout: {
      write: (s: string) => {
        out += s;
        return true;
      },
    },
    stderr: { write: () => true },
    stdin: process.stdin,
    env: {},
    openContext: async () => ctx,
    closeContext: async () => {},
  } as unknown as CliIo;
  received = [];
  assert.equal(await webmentionSend(["http://127.0.0.1:4321/posts/notes"], io), 0);
  assert.deepEqual(out.trim().split("\n").sort(), [
    `accepted\t${o}/tag via ${o}/ep-b: status at ${o}/status/1`,
    `no endpoint\t${o}/none`,
  ]);
  assert.deepEqual(pairs(), [`/ep-b http://127.0.0.1:4321/posts/notes ${o}/tag`]);
  out = "";
  assert.equal(await webmentionSend(["notes"], io), 0);
  assert.equal(out.trim().split("\n").length, 2);
  await assert.rejects(
    webmentionSend(["no-such-post"], io),
    (e) => e instanceof CliError && /not a published post/.test(e.message),
  );
  await assert.rejects(webmentionSend(["https://elsewhere.example/posts/notes"], io), CliError);
});

test("a published post's editor links to its Webmentions page", async () => {
  await setup();
  const post = await publish("Nothing linked.");
  const app = await createApp(ctx);
  const editor = await signIn(ctx, app, { role: "editor" });
  const text = await (await editor.request(`/admin/posts/${post.id}`)).text();
  assert.match(text, new RegExp(`<a href="/admin/posts/${post.id}/webmentions">Webmentions</a>`));
});

test("a post published before Webmentions were sent still tells the pages it linked when deleted", async () => {
  await setup();
  const o = site.origin;
  ctx.host = moduleHost([]);
  const post = await publish(`[h](${o}/header) [t](${o}/tag)`);
  ctx.host = moduleHost([{ name: "conversation", events: async () => ({ "post.changed": onPostChanged }) }]);
  await deletePost(ctx, systemActor, post.id);
  await ctx.runner.drain();
  const src = "http://127.0.0.1:4321/posts/notes";
  assert.deepEqual(pairs(), [`/ep-a?via=header ${src} ${o}/header`, `/ep-b ${src} ${o}/tag`]);
});
