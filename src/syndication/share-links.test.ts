import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { type Browser, signIn } from "../auth/testing.ts";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";

// Share links for readers, turned on and off in Settings → Accounts, on the public post page.
let ctx: TestContext;
let app: Hono<AppEnv>;
let owner: Browser;

before(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
  owner = await signIn(ctx, app);
  const theme = await saveTheme(ctx, { name: "Craft", slug: "craft" });
  await savePost(ctx, systemActor, {
    kind: "article",
    title: "Fees & value",
    slug: "fees",
    summary: "Price the outcome.",
    body: "Text.",
    themeIds: [theme.id],
    status: "published",
  });
});
after(async () => ctx?.cleanup());

const postPage = async () => (await app.request("/posts/fees")).text();

test("share links for readers: off by default; on, plain prefilled links and no third-party script; off again", async () => {
  assert.doesNotMatch(await postPage(), /class="share-links/);
  const on = await owner.form("/admin/accounts/share-links", { shareLinks: "1" });
  assert.equal(on.headers.get("location"), "/admin/accounts?msg=saved");
  assert.match(await (await owner.request("/admin/accounts")).text(), /name="shareLinks" value="1" checked>/);
  const page = await postPage();
  const nav = /<nav class="share-links[^"]*"[\s\S]*?<\/nav>/.exec(page)?.[0] ?? "";
  assert.match(
    nav,
    /<a href="https:\/\/x\.com\/intent\/post\?text=Fees\+%26\+value%3A\+Price\+the\+outcome\.&amp;url=http%3A%2F%2F127\.0\.0\.1%3A4321%2Fposts%2Ffees" rel="noopener nofollow" target="_blank">X<\/a>/,
  );
  for (const name of ["Facebook", "Threads", "Reddit", "Hacker News", "Tumblr", "WhatsApp"])
    assert.ok(nav.includes(`>${name}</a>`), name);
  assert.ok(!nav.includes(">Email</a>"), "email is “Email this to a colleague”, already there");
  const scripts = [...page.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(
    scripts.every((s) => s.startsWith("/")),
    `only the site's own scripts: ${scripts.join(", ")}`,
  );
  assert.doesNotMatch(page, /<iframe|<img[^>]+(facebook|x\.com|twitter|pinterest)/i, "nothing loads from them");

  const off = await owner.form("/admin/accounts/share-links", {});
  assert.equal(off.status, 303);
  assert.doesNotMatch(await postPage(), /class="share-links/, "off again, the cached page dropped");
  const editor = await signIn(ctx, app, { role: "editor", email: "ed@example.com" });
  assert.equal((await editor.form("/admin/accounts/share-links", { shareLinks: "1" })).status, 403, "owners only");
});
