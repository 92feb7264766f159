/**
 * Audience pages with the longest list name and promise allowed (one unbroken word each): the
 * Lists table on a desktop and the public /subscribe form on a phone do not scroll sideways; on a
 * phone the "Email this post" page keeps "Not now" on one line, clear of "Send now".
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { createList } from "../../src/audience/testing.ts";
import { createUser } from "../../src/auth/testing.ts";
import { savePost, saveTheme, systemActor } from "../../src/content/testing.ts";
import { launchBrowser, type Site, startSite } from "./harness.ts";

const EMAIL = "owner@example.com";
const PASSWORD = "correct horse battery";
let site: Site;
let browser: Browser;
let postId = 0;

before(async () => {
  site = await startSite();
  await createUser(site.ctx, { email: EMAIL, name: "Ann Owner", role: "owner", password: PASSWORD });
  await createList(site.ctx, { slug: "long", name: "X".repeat(120), promise: "Y".repeat(1000) });
  const theme = await saveTheme(site.ctx, { name: "Work" });
  const post = await savePost(site.ctx, systemActor, {
    kind: "article",
    title: "A post to email",
    summary: "",
    body: "Text.",
    themeIds: [theme.id],
    status: "published",
  });
  postId = post.id;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

async function open(width: number, path: string, signIn: boolean): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width, height: 844 } })).newPage();
  if (signIn) {
    await page.goto(`${site.url}/login`);
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.pathname.startsWith("/admin"));
  }
  const res = await page.goto(`${site.url}${path}`);
  assert.equal(res?.status(), 200, path);
  return page;
}

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

test("a long list name wraps: /admin/lists at 1280px and /subscribe at 390px do not scroll sideways", async () => {
  const lists = await open(1280, "/admin/lists", true);
  assert.ok((await scrollWidth(lists)) <= 1280, `/admin/lists is ${await scrollWidth(lists)}px wide`);
  const subscribe = await open(390, "/subscribe", false);
  assert.ok((await scrollWidth(subscribe)) <= 390, `/subscribe is ${await scrollWidth(subscribe)}px wide`);
  // The list's checkbox on the digest schedule and on "Email this post", on a phone.
  for (const path of ["/admin/digests", `/admin/posts/${postId}/email`]) {
    const p = await open(390, path, true);
    assert.ok((await scrollWidth(p)) <= 390, `${path} is ${await scrollWidth(p)}px wide`);
  }
});

test("Email this post at 390px: “Not now” is on one line and clear of “Send now”", async () => {
  const page = await open(390, `/admin/posts/${postId}/email`, true);
  const m = await page.evaluate(() => {
    const link = [...document.querySelectorAll("main a")].find((a) => a.textContent === "Not now");
    const send = [...document.querySelectorAll("main button")].find((b) => b.textContent === "Send now");
    if (!link || !send) return null;
    const a = link.getBoundingClientRect();
    const b = send.getBoundingClientRect();
    const gap = Math.max(b.left - a.right, a.left - b.right, b.top - a.bottom, a.top - b.bottom);
    return { lines: link.getClientRects().length, gap };
  });
  assert.ok(m, "the page has “Not now” and “Send now”");
  assert.equal(m.lines, 1, "“Not now” on one line");
  assert.ok(m.gap >= 4, `“Not now” is ${m.gap}px from “Send now”`);
});
