/**
 * Every admin page on a phone (390px, dark scheme) and a desktop (1280px, light scheme), with
 * demo content: no page may scroll sideways, the navigation is a closed menu on the phone and a
 * sidebar on the desktop, and axe finds no serious or critical violations. The pages are the
 * navigation the modules declare plus one page of each kind of item. Full-page screenshots go
 * to a temporary folder (its path is printed) for a person to look at; set ADMIN_SHOTS to choose it.
 * CI takes none unless ADMIN_SHOTS is set: nobody looks at them there, and they were a fifth of
 * the file's time.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { addSubscriber, createList, sendPost } from "../../src/audience/testing.ts";
import { createUser } from "../../src/auth/testing.ts";
import { postStore, savePost, saveUpload, seedDemo, systemActor, themeStore } from "../../src/content/testing.ts";
import { draftDigest } from "../../src/digest/testing.ts";
import { type EventsWorld, makeEvent } from "../../src/events/testing.ts";
import { modules } from "../../src/modules.ts";
import { addItem, addSource, createSave } from "../../src/reader/testing.ts";
import { launchBrowser, type Site, startSite } from "./harness.ts";

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const EMAIL = "owner@example.com";
const PASSWORD = "correct horse battery";
const LONG_URL = `https://a-very-long-host-name-for-testing.example/${"path-segment/".repeat(8)}?utm_source=newsletter`;

let site: Site;
let browser: Browser;
const shots =
  process.env.ADMIN_SHOTS ?? (process.env.CI ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "admin-shots-")));
const pages: string[] = [];

before(async () => {
  site = await startSite();
  const ctx = site.ctx;
  const owner = await createUser(ctx, { email: EMAIL, name: "Ann Owner", role: "owner", password: PASSWORD });
  await seedDemo(ctx);
  const posts = await postStore(ctx.db).list({ status: "published", limit: 100 });
  const article = posts.find((p) => p.kind === "article");
  const theme = (await themeStore(ctx.db).all())[0];
  assert.ok(article && theme, "the demo has an article and a theme");

  // Media: an image with a long file name.
  const png = await sharp({ create: { width: 800, height: 450, channels: 3, background: "#3a7ca5" } })
    .png()
    .toBuffer();
  const name = "a-photo-with-a-rather-long-file-name-from-a-phone-camera-2026.png";
  await saveUpload(ctx, new File([new Uint8Array(png)], name, { type: "image/png" }), owner.id);

  // Audience: a list, subscribers (one with a long address), a send for the Email page.
  await createList(ctx, { name: "New articles", slug: "articles" });
  const sub = await addSubscriber(ctx, {
    email: "someone.with.a.rather.long.address@subscribers.example.org",
    list: "articles",
    confirmed: true,
    source: "admin",
  });
  await addSubscriber(ctx, { email: "bo@example.com", list: "articles", confirmed: false, source: "admin" });
  await sendPost(ctx, article.slug, ["articles"], owner.id);
  // With a server set, the Email page shows its two buttons (nothing is sent: no jobs run here).
  ctx.config.mail = { ...ctx.config.mail, smtpUrl: "smtp://127.0.0.1:9" };

  // Reader: a source with a long title, an item with a long link, a save, and a digest of it.
  const source = await addSource(ctx, {
    title: "An unusually long source title that goes on and on",
    feedUrl: LONG_URL,
  });
  const item = await addItem(ctx, source, {
    title: "A long item title about the social web and why it keeps coming back to the same questions",
    url: LONG_URL,
    content: `<p>Read it at ${LONG_URL} or <a href="${LONG_URL}">${LONG_URL}</a>.</p><pre>${"x".repeat(200)}</pre>`,
  });
  const start = new Date(Date.now() - 60_000);
  const save = await createSave(
    ctx,
    { id: owner.id, role: "owner" },
    { url: LONG_URL, title: "Saved from the reader", blurb: "Worth a read.", themeIds: [theme.id] },
    { fetch: false },
  );
  const digest = await draftDigest(ctx, { since: start, until: new Date(Date.now() + 1000) });

  const event = await makeEvent({ ctx, themeId: theme.id } as EventsWorld, { title: "A workshop on lists" });
  const draft = await savePost(ctx, systemActor, {
    kind: "article",
    title: "A draft",
    body: `Link: ${LONG_URL}`,
    themeIds: [theme.id],
    status: "draft",
  });

  // A held comment with a long unbroken word, so the inbox has an item to lay out.
  const at = new Date().toISOString();
  await ctx.db.kysely
    .insertInto("conversation_items")
    .values({
      post_id: article.id,
      parent_id: null,
      kind: "comment",
      via: "site",
      status: "pending",
      author_name: "Cleo Commenter",
      author_url: LONG_URL,
      author_key: "email:cleo@example.org",
      text: `A comment that links ${LONG_URL}`,
      confirmed_at: null,
      published_at: at,
      received_at: at,
      updated_at: at,
    })
    .execute();
  // An outcome with a long unbroken note and address, on the insights page and the admin home.
  await site.ctx.db.kysely
    .insertInto("insight_outcomes")
    .values({
      kind: "manual",
      at,
      post_id: article.id,
      who: "manual:layout",
      entry_path: LONG_URL,
      source: "elsewhere",
      pages: JSON.stringify([LONG_URL]),
      visitor: null,
      attributed_at: at,
      note: `Engagement from ${LONG_URL}`,
      created_at: at,
    })
    .execute();
  const nav = modules.flatMap((m) => m.nav ?? []).map((n) => n.href);
  pages.push(
    "/admin",
    ...nav,
    "/admin/posts/new",
    "/admin/insights/story",
    `/admin/posts/${draft.id}`,
    `/admin/posts/${article.id}`,
    `/admin/posts/${article.id}/revisions`,
    `/admin/posts/${article.id}/email`,
    `/admin/posts/${article.id}/webmentions`,
    "/admin/conversations/settings",
    `/admin/themes/${theme.id}`,
    `/admin/digests/${digest.id}`,
    `/admin/events/${event.id}`,
    `/admin/subscribers/${sub.subscriberId}`,
    `/admin/reader/items/${item}`,
    `/admin/sources/${source}`,
    `/admin/saves/${save.save.id}`,
  );
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${site.url}/login`);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname.startsWith("/admin"));
}

/** The page's width, and the widest elements that stick out past the viewport (for the message). */
function measure(page: Page) {
  return page.evaluate(() => {
    const vw = window.innerWidth;
    const out: string[] = [];
    for (const el of document.querySelectorAll("body *")) {
      const r = el.getBoundingClientRect();
      if (r.right > vw + 1 && out.length < 3) {
        out.push(
          `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className ? `.${String(el.className).split(" ").join(".")}` : ""} (${Math.round(r.right)}px)`,
        );
      }
    }
    // Buttons side by side or one above the other need a gap between them.
    const boxes = [...document.querySelectorAll("main button, main .button, main input[type=submit]")]
      .map((b) => ({ b, r: b.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && r.height > 0);
    const touching: string[] = [];
    for (const [i, x] of boxes.entries()) {
      for (const y of boxes.slice(i + 1)) {
        const gapX = Math.max(y.r.left - x.r.right, x.r.left - y.r.right);
        const gapY = Math.max(y.r.top - x.r.bottom, x.r.top - y.r.bottom);
        if (Math.max(gapX, gapY) < 4) touching.push(`"${x.b.textContent?.trim()}" and "${y.b.textContent?.trim()}"`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, culprits: out, touching };
  });
}

async function axeProblems(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(o: object): Promise<{ violations: any[] }> } }).axe;
    const r = await axe.run({ resultTypes: ["violations"] });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} node(s), e.g. ${v.nodes[0]?.target}`);
  });
}

// The two widths run side by side (two browser contexts) to keep the suite fast.
describe("admin pages on a phone and a desktop", { concurrency: 2 }, () => {
  for (const [width, scheme] of [
    [390, "dark"],
    [1280, "light"],
  ] as const) {
    it(`every admin page fits ${width}px without sideways scroll and passes axe (${scheme})`, async (t) => {
      const context = await browser.newContext({ viewport: { width, height: 844 }, colorScheme: scheme });
      const page = await context.newPage();
      const scriptErrors: string[] = [];
      page.on("pageerror", (e) => scriptErrors.push(String(e)));
      await signIn(page);
      const wide: string[] = [];
      const problems: string[] = [];
      const touching: string[] = [];
      for (const p of pages) {
        const res = await page.goto(`${site.url}${p}`);
        assert.equal(res?.status(), 200, `${p} answers 200`);
        const m = await measure(page);
        t.diagnostic(`${p}: ${m.scrollWidth}px`);
        if (m.scrollWidth > m.innerWidth) wide.push(`${p}: ${m.scrollWidth}px wide, e.g. ${m.culprits.join(", ")}`);
        for (const pair of m.touching) touching.push(`${p}: ${pair} touch`);
        for (const v of await axeProblems(page)) problems.push(`${p}: ${v}`);
        const name = `${width}-${p.replace(/^\/admin\/?/, "").replace(/\//g, "_") || "home"}.png`;
        if (shots) await page.screenshot({ path: path.join(shots, name), fullPage: true });
      }
      // The navigation: a closed menu on the phone, a sidebar with the current page on the desktop.
      await page.goto(`${site.url}/admin/reader`);
      const current = page.locator('nav[aria-label="Admin"] a[aria-current="page"]:visible');
      if (width < 600) {
        const menu = page.locator("details.menu");
        assert.equal(await menu.isVisible(), true, "the phone has a menu");
        assert.equal(await current.count(), 0, "the menu starts closed");
        const top = await page.locator("main h1").evaluate((h) => h.getBoundingClientRect().top);
        assert.ok(top < 160, `the page's heading starts near the top (${top}px)`);
        await menu.locator("summary").click();
        assert.equal(await current.textContent(), "Reader");
        if (shots) await page.screenshot({ path: path.join(shots, `${width}-menu-open.png`) });
        await page.keyboard.press("Escape");
        assert.equal(await menu.evaluate((d) => (d as HTMLDetailsElement).open), false, "Escape closes the menu");
        assert.equal(await page.evaluate(() => document.activeElement?.tagName), "SUMMARY", "focus back on Menu");
      } else {
        assert.equal(await page.locator("details.menu").isVisible(), false, "no menu on a wide screen");
        assert.equal(await current.textContent(), "Reader");
      }
      if (shots) t.diagnostic(`screenshots in ${shots}`);
      await context.close();
      assert.deepEqual(wide, [], wide.join("\n"));
      assert.deepEqual(problems, [], problems.join("\n"));
      assert.deepEqual(touching, [], touching.join("\n"));
      assert.deepEqual(scriptErrors, []);
    });
  }
});
