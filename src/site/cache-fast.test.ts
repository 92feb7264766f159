// test lanes: sqlite only
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { brotliDecompressSync } from "node:zlib";
import { createApp } from "../app.ts";
import { signIn } from "../auth/testing.ts";
import { savePost, systemActor } from "../content/testing.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { cachedPageFastPath } from "./cache-fast.ts";
import { type Seeded, seedSite } from "./test-fixtures.ts";

const PAGE = "/posts/liner-notes-matter";

/** Headers that must be equal between two answers for the same page (CSP compared without its nonce). */
function comparable(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of res.headers) {
    if (k === "date") continue;
    out[k] = k === "content-security-policy" ? v.replace(/'nonce-[^']+'/, "'nonce-*'") : v;
  }
  return out;
}

describe("cached-page fast path", () => {
  let ctx: TestContext;
  let s: Seeded;
  beforeEach(async () => {
    ctx = await createTestContext();
    s = await seedSite(ctx);
  });
  afterEach(async () => ctx.cleanup());

  test("answers only cookie-less GETs of cached pages", async () => {
    const fast = cachedPageFastPath(ctx);
    const req = (init?: RequestInit, path = PAGE) => new Request(`http://localhost${path}`, init);
    assert.equal(fast(req(), undefined), undefined, "nothing cached yet");
    await (await createApp(ctx)).request(PAGE);
    const hit = fast(req(), undefined);
    assert.ok(hit, "cached after the first render");
    assert.equal(hit.status, 200);
    assert.match(await hit.text(), /Liner notes matter/);
    assert.equal(
      fast(req({ headers: { cookie: "liner_csrf=x" } }), undefined),
      undefined,
      "a cookie takes the long way",
    );
    assert.equal(fast(req({ method: "POST" }), undefined), undefined);
    assert.equal(fast(req({ method: "HEAD" }), undefined), undefined);
    assert.equal(fast(req(undefined, "/posts/other"), undefined), undefined);
    // Under @hono/node-server the headers come from the Node request.
    const node = fast(req(), { incoming: { headers: { "if-none-match": hit.headers.get("etag") ?? "" } } });
    assert.equal(node?.status, 304);
    ctx.config.pageCache = false;
    assert.equal(fast(req(), undefined), undefined, "LINER_PAGE_CACHE=0");
  });

  test("a hit is the same answer the router gives: body, status and headers", async () => {
    const app = await createApp(ctx);
    await app.request(PAGE);
    for (const headers of [{}, { "accept-encoding": "gzip, br" }] as Record<string, string>[]) {
      // A cookie that is not a session sends the request through the router and publicRoute.
      const routed = await app.request(PAGE, { headers: { ...headers, cookie: "unrelated=1" } });
      const fast = await app.request(PAGE, { headers });
      assert.deepEqual(comparable(fast), comparable(routed));
      assert.equal(fast.status, routed.status);
      assert.deepEqual(Buffer.from(await fast.arrayBuffer()), Buffer.from(await routed.arrayBuffer()));
    }
    const br = await app.request(PAGE, { headers: { "accept-encoding": "br" } });
    assert.match(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString(), /Liner notes matter/);
    const a = (await app.request(PAGE)).headers.get("content-security-policy");
    const b = (await app.request(PAGE)).headers.get("content-security-policy");
    assert.match(a ?? "", /script-src 'self' 'nonce-[\w-]{16}'/);
    assert.notEqual(a, b, "every response gets a fresh nonce");
  });

  test("a content change is visible at once; signed-in staff never get the cached page", async () => {
    const app = await createApp(ctx);
    assert.match(await (await app.request(PAGE)).text(), /Liner notes matter/);
    await savePost(
      ctx,
      systemActor,
      { ...s.article, title: "Liner notes still matter", themeIds: [s.web.id], status: "published" },
      s.article.id,
    );
    assert.match(await (await app.request(PAGE)).text(), /Liner notes still matter/);
    const owner = await signIn(ctx, app);
    const res = await owner.request(PAGE);
    assert.equal(res.headers.get("cache-control"), "private, no-cache");
  });
});

describe("lazily loaded admin", () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createTestContext();
  });
  afterEach(async () => ctx.cleanup());

  test("works as if mounted: sign-in redirect, pages, 404 page, role errors", async () => {
    const app = await createApp(ctx);
    const anon = await app.request("/admin/posts");
    assert.equal(anon.status, 303);
    assert.equal(anon.headers.get("location"), "/login?next=%2Fadmin%2Fposts");
    assert.ok(anon.headers.get("content-security-policy"), "security headers come from the outer app");
    const author = await signIn(ctx, app, { role: "author" });
    const home = await author.request("/admin");
    assert.equal(home.status, 200);
    const page = await home.text();
    assert.match(page, /csrf-token/);
    assert.ok(author.csrf && page.includes(author.csrf), "the session's CSRF token reaches the admin");
    const missing = await author.request("/admin/no-such-page");
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /Page not found/);
    const forbidden = await author.request("/admin/users");
    assert.equal(forbidden.status, 403);
    assert.match(await forbidden.text(), /Only the site owner/);
    const css = await app.request("/admin/assets/admin.css");
    assert.equal(css.status, 200);
    // One stylesheet made of lib/ui/css's parts, in order: the variables first, the pages' last.
    const sheet = await css.text();
    const at = (s: string) => sheet.indexOf(s);
    assert.ok(at("--line") >= 0 && at("table.list {") > at("--line") && at(".checklist {") > at("table.list {"));
  });
});
