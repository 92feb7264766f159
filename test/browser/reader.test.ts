/**
 * The reader in Chromium: keyboard shortcuts (an enhancement over links and forms that also work
 * without JavaScript), and the XSS suite: hostile feeds served from loopback are followed and
 * polled through the real path, then the inbox and every item page are loaded with and without
 * the Content-Security-Policy, asserting that no payload ran and nothing unsafe reached the DOM.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { createUser } from "../../src/auth/testing.ts";
import { addFolder, addItem, addSource, followSource, registerPollJobs } from "../../src/reader/testing.ts";
import { launchBrowser, type Site, startSite } from "./harness.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => fs.readFileSync(path.join(here, "testdata", name), "utf8");
/** The parser's own XSS fixture, when it exists, is followed too. */
const PARSER_XSS = path.join(here, "../../src/reader/feed/testdata/xss.xml");
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const EMAIL = "reader@example.com";
const PASSWORD = "correct horse battery";

let site: Site;
let browser: Browser;
let feeds: http.Server;
let feedBase = "";
/** Before the poll the feeds serve their first ten entries; after it, all of them. */
let full = false;

function firstEntries(xml: string, tag: "item" | "entry", n: number): string {
  const parts = xml.split(`<${tag}>`);
  return parts.slice(0, n + 1).join(`<${tag}>`) + (tag === "item" ? "</channel></rss>" : "</feed>");
}

before(async () => {
  site = await startSite();
  await createUser(site.ctx, { email: EMAIL, role: "owner", password: PASSWORD });
  feeds = http.createServer((req, res) => {
    const url = req.url ?? "/";
    const xml = (body: string) => {
      res.writeHead(200, { "content-type": "application/xml; charset=utf-8" });
      res.end(body);
    };
    if (url === "/rss.xml") {
      // One item links to the hostile article, for "fetch full text".
      const rss = fixture("xss-rss.xml").replace("https://xss.example/ep</link>", `${feedBase}/article</link>`);
      return xml(full ? rss : firstEntries(rss, "item", 10));
    }
    if (url === "/atom.xml")
      return xml(full ? fixture("xss-atom.xml") : firstEntries(fixture("xss-atom.xml"), "entry", 10));
    if (url === "/parser-xss.xml" && fs.existsSync(PARSER_XSS)) return xml(fs.readFileSync(PARSER_XSS, "utf8"));
    if (url === "/article") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(fixture("xss-article.html"));
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  await new Promise<void>((r) => feeds.listen(0, "127.0.0.1", r));
  feedBase = `http://127.0.0.1:${(feeds.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await new Promise<void>((r) => (feeds ? feeds.close(() => r()) : r()));
  await site?.close();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${site.url}/login`);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname.startsWith("/admin"));
}

const isRead = async (id: number) =>
  (await site.ctx.db.kysely.selectFrom("items").select("is_read").where("id", "=", id).executeTakeFirstOrThrow())
    .is_read;

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("keyboard: j/k move the selection, m toggles read, ? shows help, o opens, s saves", async () => {
  const source = await addSource(site.ctx, { title: "Keyboard FM" });
  const ids: number[] = [];
  for (const n of [1, 2, 3]) {
    ids.push(await addItem(site.ctx, source, { title: `Key item ${n}`, published: `2026-03-0${n}T10:00:00.000Z` }));
  }
  const [oldest, middle, newest] = ids;
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await signIn(page);
  await page.goto(`${site.url}/admin/reader?source=${source}`);
  const items = page.locator("li.item");
  assert.equal(await items.count(), 3);
  assert.equal(await page.locator(".shortcut-hint").isVisible(), true, "the hint shows once the script runs");

  const selected = () => page.locator("li.item.is-selected").getAttribute("data-id");
  await page.keyboard.press("j");
  assert.equal(await selected(), String(newest));
  await page.keyboard.press("j");
  assert.equal(await selected(), String(middle));
  await page.keyboard.press("j");
  await page.keyboard.press("j"); // stays on the last item
  assert.equal(await selected(), String(oldest));
  await page.keyboard.press("k");
  assert.equal(await selected(), String(middle));
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Key item 2", "focus follows");

  await page.keyboard.press("m");
  await until(async () => (await isRead(middle)) === 1, "m to mark read");
  await page.locator(`li.item.is-read[data-id="${middle}"]`).waitFor();
  assert.equal(await page.locator(`li[data-id="${middle}"] button[data-action="unread"]`).count(), 1);
  await page.keyboard.press("m");
  await until(async () => (await isRead(middle)) === 0, "m to mark unread");
  await page.locator(`li.item.is-unread[data-id="${middle}"]`).waitFor();

  const help = page.locator("#shortcut-help");
  assert.equal(await help.isVisible(), false);
  await page.keyboard.press("?");
  assert.equal(await help.isVisible(), true);
  assert.match((await help.textContent()) ?? "", /Next \/ previous item/);
  await page.keyboard.press("Escape");
  assert.equal(await help.isVisible(), false);

  await page.goto(`${site.url}/admin/reader?source=${source}`);
  await page.keyboard.press("j");
  await page.keyboard.press("o");
  await page.waitForURL(`${site.url}/admin/reader/items/${newest}?source=${source}`);
  assert.equal(await isRead(newest), 1, "opening an item marks it read");
  await page.keyboard.press("m");
  await until(async () => (await isRead(newest)) === 0, "m on the item page");
  await page.keyboard.press("s");
  await page.waitForURL((u) => u.pathname === "/admin/save" && u.searchParams.get("item") === String(newest));
  assert.deepEqual(errors, []);
  await page.close();
});

test("on an item page, j and k go to the next and previous item of the list it was opened from", async () => {
  const source = await addSource(site.ctx, { title: "Walk" });
  const older = await addItem(site.ctx, source, { title: "Walk older", published: "2026-02-01T00:00:00.000Z" });
  const middle = await addItem(site.ctx, source, { title: "Walk middle", published: "2026-02-02T00:00:00.000Z" });
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page);
  await page.goto(`${site.url}/admin/reader/items/${middle}?source=${source}`);
  await page.keyboard.press("j");
  await page.waitForURL(`${site.url}/admin/reader/items/${older}?source=${source}`);
  await page.keyboard.press("k");
  await page.waitForURL(`${site.url}/admin/reader/items/${middle}?source=${source}`);
  await context.close();
});

test("without JavaScript: the list, item page and actions are plain links and forms", async () => {
  const source = await addSource(site.ctx, { title: "No script" });
  const id = await addItem(site.ctx, source, { title: "Plain item" });
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page);
  await page.goto(`${site.url}/admin/reader?source=${source}`);
  await page.getByRole("button", { name: /^Mark read\W+Plain item$/ }).click();
  await page.waitForURL(/msg=read/);
  assert.equal(await isRead(id), 1);
  assert.equal(new URL(page.url()).hash, `#item-${id}`, "back at the item in the list");
  await page.getByRole("button", { name: /^☆?\s*Star\W+Plain item$/ }).click();
  await page.waitForURL(/msg=star/);
  await page.getByRole("link", { name: "Plain item", exact: true }).click();
  // The item link carries the list it came from (for previous and next).
  await page.waitForURL(`${site.url}/admin/reader/items/${id}?source=${source}`);
  assert.equal(await isRead(id), 1, "opening an item marks it read");
  await page.getByRole("button", { name: "Mark unread" }).click();
  await page.waitForURL(/msg=unread/);
  assert.equal(await isRead(id), 0, "and Mark unread goes back to the inbox, leaving it unread");
  assert.equal(new URL(page.url()).pathname, "/admin/reader");
  await context.close();
});

test("the inbox and an item page have no serious or critical axe violations (light and dark)", async () => {
  const folder = await addFolder(site.ctx, "Audio");
  const source = await addSource(site.ctx, { title: "Axe FM", folderId: folder });
  await addItem(site.ctx, source, { title: "Read one", read: true, starred: true });
  const id = await addItem(site.ctx, source, {
    title: "Episode 1",
    durationSeconds: 1800,
    authors: [{ name: "Ada" }],
    enclosures: [{ url: "https://cdn.example/ep1.mp3", type: "audio/mpeg", length: 1_000_000 }],
  });
  for (const scheme of ["light", "dark"] as const) {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    await signIn(page);
    const problems: string[] = [];
    for (const p of [
      `/admin/reader?folder=${folder}&msg=read`,
      `/admin/reader/items/${id}`,
      "/admin/reader?show=starred",
    ]) {
      await page.goto(`${site.url}${p}`);
      // j selects in a list; on an item page it would go to the next item (not what is checked here).
      if (!p.includes("/items/")) await page.keyboard.press("j");
      await page.keyboard.press("?"); // the help overlay is checked too
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: any[] }> } }).axe;
        const r = await axe.run();
        return r.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} node(s), e.g. ${v.nodes[0]?.target}`);
      });
      for (const v of violations) problems.push(`${p} (${scheme}): ${v}`);
    }
    await context.close();
    assert.deepEqual(problems, []);
  }
});

/** Everything in the page that could run script or leave the page. Runs in the browser. */
function unsafeDom(): string[] {
  const bad: string[] = [];
  const urlAttrs = new Set([
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "srcset",
    "background",
  ]);
  const allowedFrame =
    /^https:\/\/(www\.)?(youtube\.com|youtube-nocookie\.com)\/embed\/|^https:\/\/player\.vimeo\.com\/video\//;
  for (const el of Array.from(document.querySelectorAll("*"))) {
    const tag = el.tagName.toLowerCase();
    for (const a of Array.from(el.attributes)) {
      const name = a.name.toLowerCase();
      // Browsers ignore whitespace and control characters inside a URL's scheme.
      const value = Array.from(a.value)
        .filter((ch) => ch.charCodeAt(0) > 32)
        .join("")
        .toLowerCase();
      if (name.startsWith("on")) bad.push(`${tag}[${name}]`);
      if (name === "style" || name === "srcdoc") bad.push(`${tag}[${name}]`);
      if (urlAttrs.has(name) && /(^|,)(javascript|vbscript|data:text|data:application)/.test(value)) {
        bad.push(`${tag}[${name}=${value.slice(0, 40)}]`);
      }
    }
    // Our own scripts: the reader's, the admin frame's and the unsaved-changes warning.
    if (tag === "script" && !/\/admin\/assets\/(reader|admin-shell|unsaved)\.js$/.test((el as HTMLScriptElement).src)) {
      bad.push("script");
    }
    if (["object", "embed", "base", "applet", "frame", "frameset", "portal"].includes(tag)) bad.push(tag);
    if (tag === "iframe" && !allowedFrame.test((el as HTMLIFrameElement).src))
      bad.push(`iframe ${(el as HTMLIFrameElement).src}`);
    if (tag === "meta" && el.getAttribute("http-equiv")) bad.push("meta http-equiv");
    if (tag === "link" && !/\/admin\/assets\/[\w.-]+\.css$/.test((el as HTMLLinkElement).href))
      bad.push(`link ${(el as HTMLLinkElement).href}`);
    if (tag === "style" || tag === "svg" || tag === "math") bad.push(tag);
    if (tag === "form" && !new URL((el as HTMLFormElement).action).pathname.match(/^\/(admin\/reader|logout)/)) {
      bad.push(`form ${(el as HTMLFormElement).action}`);
    }
  }
  return bad;
}

test("XSS suite: every payload in the followed and polled feeds is inert in the inbox and on each item page", async () => {
  const { ctx } = site;
  const realNow = Date.now();
  const followed: number[] = [];
  for (const feed of ["rss.xml", "atom.xml", ...(fs.existsSync(PARSER_XSS) ? ["parser-xss.xml"] : [])]) {
    followed.push((await followSource(ctx, `${feedBase}/${feed}`)).source.id);
  }
  const count = async () =>
    Number(
      (
        await ctx.db.kysely
          .selectFrom("items")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("source_id", "in", followed)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const afterFollow = await count();
  // The rest arrives through the poll job, as it would in production.
  full = true;
  await registerPollJobs(ctx);
  ctx.setNow(new Date(realNow + 3 * 24 * 3600_000));
  // Drain until the poll has run: the first drain may find the poll job not yet due.
  await until(async () => {
    await ctx.runner.drain();
    return (await count()) > afterFollow;
  }, "the poll job to store the new entries");
  ctx.setNow(new Date(realNow + 3 * 24 * 3600_000 + 1000));
  const total = await count();
  assert.ok(afterFollow >= 20, `followed with ${afterFollow} items`);
  assert.ok(total >= 79 && total > afterFollow, `polled: ${afterFollow} → ${total} items`);
  const itemIds = (
    await ctx.db.kysely.selectFrom("items").select(["id", "url"]).where("source_id", "in", followed).execute()
  ).map((r) => r.id);
  const article = await ctx.db.kysely
    .selectFrom("items")
    .select("id")
    .where("url", "=", `${feedBase}/article`)
    .executeTakeFirstOrThrow();

  for (const bypassCSP of [false, true]) {
    const context = await browser.newContext({ bypassCSP });
    // Registered through the DevTools protocol, so the page's CSP does not apply to it.
    await context.addInitScript(() => {
      const w = window as unknown as { __csp: { directive: string; blocked: string; sample: string }[] };
      w.__csp = [];
      document.addEventListener("securitypolicyviolation", (e) =>
        w.__csp.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }),
      );
    });
    const dialogs: string[] = [];
    const errors: string[] = [];
    // Several tabs share the signed-in context and visit pages side by side: most of a visit is
    // waiting for lazy images to fail and timers to fire, so the suite takes a fraction as long.
    const tabs = await Promise.all(Array.from({ length: 4 }, () => context.newPage()));
    for (const tab of tabs) {
      tab.on("dialog", (d) => {
        dialogs.push(d.message());
        d.dismiss().catch(() => {});
      });
      tab.on("pageerror", (e) => errors.push(String(e)));
    }
    const [page] = tabs;
    await signIn(page);

    const problems: string[] = [];
    let withPayload = 0;
    const visit = async (pathAndQuery: string, tab: Page = page) => {
      const target = `${site.url}${pathAndQuery}`;
      await tab.goto(target, { waitUntil: "load" });
      await tab.waitForTimeout(100); // let lazy images fail and any timers fire
      const state = await tab.evaluate(unsafeDom);
      const win = await tab.evaluate(() => {
        const w = window as unknown as { __xss?: unknown; __csp: { directive: string; sample: string }[] };
        return { xss: w.__xss, csp: w.__csp.filter((v) => v.directive.startsWith("script-src")), href: location.href };
      });
      if (win.xss !== undefined) problems.push(`${pathAndQuery}: window.__xss = ${String(win.xss)}`);
      if (win.csp.length) problems.push(`${pathAndQuery}: CSP blocked script ${JSON.stringify(win.csp)}`);
      if (win.href !== target) problems.push(`${pathAndQuery}: navigated to ${win.href}`);
      for (const s of state) problems.push(`${pathAndQuery}: ${s}`);
      if (
        pathAndQuery.includes("/items/") &&
        /payload/i.test((await tab.locator(".item-content").textContent()) ?? "")
      ) {
        withPayload++;
      }
    };
    /** Visit every path, each tab taking the next one in turn. */
    const visitAll = async (paths: string[]) => {
      const queue = [...paths];
      await Promise.all(
        tabs.map(async (tab) => {
          for (let next = queue.shift(); next !== undefined; next = queue.shift()) await visit(next, tab);
        }),
      );
    };

    // The inbox, page by page.
    let next: string | null = "/admin/reader?show=all";
    let pages = 0;
    while (next) {
      await visit(next);
      pages++;
      // The page has loaded: its link is there now or not at all (waiting for it cost a second).
      const link = page.locator('a[rel="next"]');
      next = (await link.count()) ? await link.getAttribute("href") : null;
    }
    assert.ok(pages >= 2, "the inbox spans several pages");
    await visitAll([
      ...followed.map((id) => `/admin/reader?source=${id}`),
      ...itemIds.map((id) => `/admin/reader/items/${id}`),
    ]);

    // Full text of a hostile article, extracted and sanitized, then shown.
    if (!bypassCSP) {
      await page.goto(`${site.url}/admin/reader/items/${article.id}`);
      await page.getByRole("button", { name: "Fetch full text" }).click();
      await page.waitForURL(/msg=fulltext/);
      assert.match((await page.locator(".item-content").textContent()) ?? "", /The end of the hostile article/);
    }
    await visit(`/admin/reader/items/${article.id}`);

    assert.ok(withPayload >= 70, `the payload items' content is shown (${withPayload} pages)`);
    assert.deepEqual(dialogs, [], `no alert/confirm/prompt (${bypassCSP ? "without" : "with"} CSP)`);
    assert.deepEqual(errors, []);
    assert.deepEqual(problems, [], `nothing unsafe (${bypassCSP ? "CSP bypassed" : "CSP on"})`);
    await context.close();
  }
});
