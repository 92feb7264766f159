/**
 * Two `liner serve` processes on different ports over one PostgreSQL database behave as one site
 * (issue 11): the sign-in rate limit counts across both, a post published through one is served
 * by the other within a second, and a due job runs once although both run jobs. Real processes,
 * so it takes a few seconds; SQLite is one file for one machine, so this runs on PostgreSQL only.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import { type Browser, browser, createUser, PAIR_FREE_FAILURES, TEST_PASSWORD } from "../auth/testing.ts";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import { loadConfig } from "../lib/config.ts";
import { type AppContext, closeContext, createContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { TEST_PASSWORD_HASH } from "../lib/testing.ts";
import { type CliEnv, cliEnv, type Served, startServe } from "./testing.ts";

const skip = !process.env.DATABASE_URL && "needs PostgreSQL (DATABASE_URL): several processes share one database";

let e: CliEnv;
/** The test's own view of the database, for setting up and counting. */
let ctx: AppContext;
let themeId: number;
let one: Served;
let two: Served;

before(async () => {
  if (skip) return;
  e = await cliEnv();
  ctx = await createContext({ ...loadConfig(e.env), passwordHash: TEST_PASSWORD_HASH });
  // Accounts and a post before either starts, so neither seeds the demo or prints a setup link.
  for (const email of ["owner@example.com", "ed@example.com", "guessed@example.com"])
    await createUser(ctx, { email, name: email, role: "owner", password: TEST_PASSWORD });
  themeId = (await saveTheme(ctx, { name: "Field notes" })).id;
  await savePost(ctx, systemActor, { title: "Already here", body: "Hello.", status: "published", themeIds: [themeId] });
  const args = ["--host", "127.0.0.1", "--port", "0"];
  [one, two] = await Promise.all([startServe(args, e.env), startServe(args, e.env)]);
});

after(async () => {
  if (skip) return;
  const codes = await Promise.all([one?.stop(), two?.stop()]);
  await closeContext(ctx);
  await e.cleanup();
  assert.deepEqual(codes, [0, 0], "both stop cleanly on SIGTERM");
});

/** The cookie-keeping test client of auth/testing.ts, over HTTP to a running server. */
function client(server: Served): Browser {
  const overHttp = {
    request: (path: string, init?: RequestInit) => fetch(new URL(path, server.url), { ...init, redirect: "manual" }),
  };
  // `browser` only ever calls the app's `request`; redirects come back unfollowed, as there.
  return browser(overHttp as unknown as Hono<AppEnv>);
}

test("two processes: both run jobs, each on its own port", { skip }, () => {
  assert.notEqual(one.url, two.url);
  for (const s of [one, two]) assert.doesNotMatch(s.output(), /background jobs off|Seeded|setup/, s.output());
});

test("two processes: failed sign-ins spread over both hit the limit at the same total as on one", {
  skip,
}, async () => {
  const clients = [client(one), client(two)];
  for (const c of clients) await c.refreshCsrf("/login");
  const attempt = (i: number, email: string, password: string) =>
    clients[i % 2].form("/login", { email, password, next: "/admin" });
  // The free failures of one (account, address) pair, spread over both processes, then a delay
  // on both: counted in the database, so a second process is no way round it.
  for (let i = 0; i < PAIR_FREE_FAILURES; i++)
    assert.equal((await attempt(i, "guessed@example.com", `wrong-${i}`)).status, 401);
  for (let i = 0; i < 2; i++) {
    const refused = await attempt(i, "guessed@example.com", TEST_PASSWORD);
    assert.equal(refused.status, 429, `refused on process ${i + 1}`);
    assert.match(await refused.text(), /Too many sign-in attempts/);
    assert.ok(Number(refused.headers.get("retry-after")) > 0);
  }
  // Eight guesses at once, four to each process: at most the free failures are checked.
  const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => attempt(i, "ed@example.com", `p${i}`)));
  const statuses = burst.map((r) => r.status);
  const checked = statuses.filter((s) => s === 401).length;
  assert.ok(checked >= 1 && checked <= PAIR_FREE_FAILURES, `checked ${checked}: ${statuses}`);
  assert.equal(statuses.filter((s) => s === 429).length, 8 - checked, String(statuses));
});

test("two processes: a post published through one is served by the other within a second", { skip }, async (t) => {
  const writer = client(one);
  await writer.refreshCsrf("/login");
  const signedIn = await writer.form("/login", { email: "owner@example.com", password: TEST_PASSWORD });
  assert.equal(signedIn.status, 303);
  await writer.refreshCsrf("/admin");
  // The other process has the home page cached, without the new post.
  for (let i = 0; i < 2; i++) {
    const home = await fetch(`${two.url}/`);
    assert.equal(home.status, 200);
    assert.doesNotMatch(await home.text(), /Fresh from process one/);
  }
  const published = await writer.form("/admin/posts/new", {
    title: "Fresh from process one",
    kind: "article",
    slug: "",
    summary: "Published through the first process",
    body: "Served by the second.",
    themeIds: [String(themeId)],
    action: "publish",
  });
  assert.equal(published.status, 303);
  const t0 = performance.now();
  let seen = false;
  while (!seen && performance.now() - t0 < 5000) {
    seen = (await (await fetch(`${two.url}/`)).text()).includes("Fresh from process one");
    if (!seen) await new Promise((r) => setTimeout(r, 10));
  }
  const elapsed = performance.now() - t0;
  t.diagnostic(`served fresh by the other process after ${Math.round(elapsed)} ms`);
  assert.ok(seen, "the other process never served the new post");
  assert.ok(elapsed < 1000, `served fresh after ${Math.round(elapsed)} ms`);
  assert.equal((await fetch(`${two.url}/posts/fresh-from-process-one`)).status, 200);
});

test("two processes: scheduled posts' publish jobs each run exactly once", { skip }, async () => {
  const due = new Date(Date.now() + 1200);
  const ids: number[] = [];
  for (let i = 0; i < 6; i++) {
    const post = await savePost(ctx, systemActor, {
      title: `Scheduled ${i}`,
      body: "Later.",
      status: "scheduled",
      publishedAt: due,
      themeIds: [themeId],
    });
    ids.push(post.id);
  }
  const jobs = () =>
    ctx.db.kysely.selectFrom("jobs").select(["status", "attempts"]).where("kind", "=", "content.publish").execute();
  const deadline = Date.now() + 10_000;
  while ((await jobs()).some((j) => j.status === "queued" || j.status === "running") && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  // Every claim counts an attempt: a job that both processes ran would show two.
  assert.deepEqual(await jobs(), Array(6).fill({ status: "done", attempts: 1 }));
  const posts = await ctx.db.kysely.selectFrom("posts").select("status").where("id", "in", ids).execute();
  assert.deepEqual(
    posts.map((p) => p.status),
    Array(6).fill("published"),
  );
});
