/**
 * Comments and the conversation inbox in Chromium (issue 14): a comment sent without JavaScript
 * (the cached page's form has no token, so the server asks for one more press) is held; a
 * returning commenter's comment appears in place with JavaScript; the owner approves, replies
 * inline and marks spam in the inbox; the post page with its conversation is axe-clean and fits
 * a phone's width.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { createUser } from "../../src/auth/testing.ts";
import { savePost, saveTheme, systemActor } from "../../src/content/testing.ts";
import type { NewItem } from "../../src/conversation/store.ts";
import { itemStore } from "../../src/conversation/testing.ts";
import { signToken } from "../../src/lib/tokens.ts";
import { launchBrowser, type Site, startSite } from "./harness.ts";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let site: Site;
let browser: Browser;
let postPath = "";
/** Seeded items: Cleo's and Dan's first comments, held; the owner approves one and marks one as spam. */
let beaFirst: { id: number };
const held: Record<"cleo" | "dan", number> = { cleo: 0, dan: 0 };

const items = () => site.ctx.db.kysely.selectFrom("conversation_items").selectAll().orderBy("id").execute();

before(async () => {
  site = await startSite();
  const theme = await saveTheme(site.ctx, { name: "Social web" });
  const post = await savePost(site.ctx, systemActor, {
    kind: "article",
    title: "Liner notes for conversations",
    slug: "conversations",
    body: "Go where the conversation is, and bring it home.",
    themeIds: [theme.id],
    status: "published",
  });
  postPath = `/posts/${post.slug}`;
  await createUser(site.ctx, {
    email: "owner@example.com",
    name: "Olga Owner",
    role: "owner",
    password: "correct horse battery",
  });
  // Seeded straight into the table, before any page is cached: Bea's earlier comment (approved,
  // so she publishes at once), two held first comments, and a like and a repost for the piles.
  const at = new Date(Date.now() - 86_400_000).toISOString();
  const add = (row: Partial<NewItem> & Pick<NewItem, "author_name" | "author_key">) =>
    itemStore(site.ctx.db).insert({
      post_id: post.id,
      parent_id: null,
      kind: "comment",
      via: "site",
      status: "pending",
      remote_id: null,
      confirmed_at: null,
      published_at: at,
      received_at: at,
      updated_at: at,
      ...row,
    });
  beaFirst = await add({
    status: "approved",
    author_name: "Bea Returning",
    author_email: "bea@example.org",
    author_key: "email:bea@example.org",
    author_url: "https://bea.example.org",
    text: "My first thought.",
    html: "<p>My first thought.</p>",
  });
  held.cleo = (
    await add({
      author_name: "Cleo New",
      author_email: "cleo@example.net",
      author_key: "email:cleo@example.net",
      text: "A question about credits.",
      html: "<p>A question about credits.</p>",
    })
  ).id;
  held.dan = (
    await add({
      author_name: "Dan Spammer",
      author_email: "dan@spam.example",
      author_key: "email:dan@spam.example",
      text: "Cheap pills.",
      html: "<p>Cheap pills.</p>",
    })
  ).id;
  for (const [kind, name, n] of [
    ["like", "Lena Liker", 1],
    ["like", "Max Mustermann", 2],
    ["repost", "Rui Reposter", 3],
  ] as const)
    await add({
      kind,
      via: "webmention",
      status: "approved",
      author_name: name,
      author_key: `domain:site${n}.example`,
      author_url: `https://site${n}.example/`,
      author_photo: n === 2 ? "/assets/icon.svg" : "",
      source_url: `https://site${n}.example/notes/${n}`,
      remote_id: `https://site${n}.example/notes/${n}`,
    });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** A page that records script errors and every main-frame navigation. */
async function watchedPage(javaScriptEnabled: boolean, width = 1280) {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const navigations: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) navigations.push(f.url());
  });
  return { context, page, errors, navigations };
}

async function fillComment(page: Page, fields: { text: string; name: string; email?: string }) {
  const form = page.locator("form.comment-form");
  await form.getByLabel("Your comment").fill(fields.text);
  await form.getByLabel("Name").fill(fields.name);
  if (fields.email) await form.getByLabel(/^Email/).fill(fields.email);
  typingTime();
}

/**
 * A person takes seconds to type or to read a notice; the form's token holds the minimum fill
 * time. The site's clock moves on instead of the test sleeping.
 */
function typingTime(): void {
  site.ctx.setNow(new Date(Math.max(site.ctx.now().getTime(), Date.now()) + 5000));
}

test("without JavaScript: the form asks for one more press, then the comment waits for the author", async () => {
  const { context, page } = await watchedPage(false);
  await page.goto(`${site.url}${postPath}`);
  assert.equal(await page.locator('form.comment-form input[name="t"]').inputValue(), "", "cached page: no token");
  await fillComment(page, { text: "Sent the old way, no scripts.", name: "Nora Noscript" });
  await page.locator("form.comment-form").getByRole("button", { name: "Send" }).click();
  await page.waitForLoadState("load");

  assert.equal(await page.locator("h1").textContent(), "One more step");
  assert.match(await page.locator(".form-notice").innerText(), /press Send/);
  assert.equal(await page.getByLabel("Your comment").inputValue(), "Sent the old way, no scripts.", "kept");
  assert.equal(await page.getByLabel("Name").inputValue(), "Nora Noscript");
  assert.notEqual(await page.locator('input[name="t"]').inputValue(), "", "now it carries a token");
  typingTime();
  await page.getByRole("button", { name: "Send" }).click();
  await page.waitForLoadState("load");

  assert.equal(await page.locator("h1").textContent(), "Comment received");
  assert.match(await page.locator("main").innerText(), /waiting for the author/);
  const mine = (await items()).filter((i) => i.author_name === "Nora Noscript");
  assert.equal(mine.length, 1, "stored once");
  assert.equal(mine[0].status, "pending", "a first comment is held");

  await page.getByRole("link", { name: "Back to the post" }).click();
  assert.doesNotMatch(await page.locator("#comments").innerText(), /old way/, "held: not on the page");
  await context.close();
});

test("with JavaScript: a returning commenter's comment appears in place, without leaving the page", async () => {
  const { context, page, errors, navigations } = await watchedPage(true);
  // Bea's browser kept the cookie of her first comment (approved since), which proves her address.
  await context.addCookies([
    {
      name: "ln_commenter",
      value: signToken(site.ctx.secret, "commenter", String(beaFirst.id)),
      url: `${site.url}/comments`,
    },
  ]);
  await page.goto(`${site.url}${postPath}`);
  const token = page.waitForResponse((r) => r.url().endsWith("/comments/token"));
  await fillComment(page, { text: "Second *thought*, sent in place.", name: "Bea", email: "bea@example.org" });
  assert.equal((await token).status(), 200, "the form fetched its token on focus");
  await page.evaluate(() => {
    (globalThis as unknown as { stayed: boolean }).stayed = true;
  });
  const sent = page.waitForResponse((r) => r.url().endsWith("/comments") && r.request().method() === "POST");
  await page.locator("form.comment-form").getByRole("button", { name: "Send" }).click();
  assert.equal((await sent).request().headers().accept, "application/json");

  const added = page.locator("#comment-list > li", { hasText: "Second thought, sent in place." });
  await added.waitFor({ timeout: 5000 });
  assert.equal(await added.locator("em").textContent(), "thought", "the server's sanitized HTML");
  assert.match(await page.locator("form.comment-form .form-status").innerText(), /Your comment is published/);
  assert.equal(await page.getByLabel("Your comment").inputValue(), "", "the text box is emptied");
  assert.equal(await page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed), true);
  assert.deepEqual(navigations, [`${site.url}${postPath}`], "no navigation after the first load");
  const bea = (await items()).filter((i) => i.author_key === "email:bea@example.org");
  assert.deepEqual(
    bea.map((i) => i.status),
    ["approved", "approved"],
  );

  assert.deepEqual(errors, []);

  // The token fetch failed (offline for a moment): the server asks for one more press, and the
  // text stays in the box so that press sends it.
  await page.reload();
  await page.route("**/comments/token", (r) => r.abort());
  await fillComment(page, { text: "Third thought, after a hiccup.", name: "Bea", email: "bea@example.org" });
  await page.locator("form.comment-form").getByRole("button", { name: "Send" }).click();
  await page.locator(".form-status", { hasText: "One more step" }).waitFor({ timeout: 5000 });
  assert.equal(await page.getByLabel("Your comment").inputValue(), "Third thought, after a hiccup.", "kept");
  typingTime();
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator("#comment-list > li", { hasText: "Third thought" }).waitFor({ timeout: 5000 });
  assert.deepEqual(
    errors.filter((e) => !/ERR_FAILED/.test(e)),
    [],
    "only the aborted token fetches failed",
  );
  await context.close();
});

test("the inbox: approve a held comment, reply inline (marked Author on the post), mark one as spam", async () => {
  const { context, page, errors } = await watchedPage(true);
  await page.goto(`${site.url}/login`);
  await page.getByLabel("Email").fill("owner@example.com");
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname.startsWith("/admin"));

  await page.goto(`${site.url}/admin/conversations`);
  const cleo = page.locator(`#item-${held.cleo}`);
  assert.match(await cleo.innerText(), /Cleo New[\s\S]*A question about credits/);
  assert.match(await page.locator(`#item-${await noraId()}`).innerText(), /Nora Noscript/, "the no-JS comment");
  await page.locator(`#pick-${held.cleo}`).check();
  await page.locator("form#bulk").getByLabel("With the selected items:").selectOption("approve");
  await page.locator("form#bulk").getByRole("button", { name: "Apply" }).click();
  await page.waitForURL(/msg=approve/);
  assert.match(await page.getByText("Approved: 1 changed.").innerText(), /Approved/);
  assert.equal(await page.locator(`#item-${held.cleo}`).count(), 0, "gone from Pending");

  const reader = await browser.newContext({ javaScriptEnabled: false });
  const readerPage = await reader.newPage();
  await readerPage.goto(`${site.url}${postPath}`);
  assert.match(await readerPage.locator(`#comment-${held.cleo}`).innerText(), /A question about credits/);

  await page.getByRole("link", { name: /^Approved \(/ }).click();
  const item = page.locator(`#item-${held.cleo}`);
  await item.locator("summary", { hasText: "Reply" }).click();
  await item.getByRole("textbox").fill("Credits go to the *source* of the source.");
  await item.getByRole("button", { name: "Reply" }).click();
  await page.waitForURL(/msg=replied/);
  assert.match(await page.locator("main").innerText(), /Your reply is published/);

  await readerPage.reload();
  const reply = readerPage.locator(`#comment-${held.cleo} .replies > li.comment-owner`);
  assert.equal(await reply.count(), 1, "the reply is threaded under Cleo's comment");
  assert.match(await reply.innerText(), /Olga Owner\s*Author[\s\S]*Credits go to the source of the source/i);
  assert.equal(await reply.locator(".badge").textContent(), "Author");
  await reader.close();

  await page.goto(`${site.url}/admin/conversations`);
  await page.locator(`#pick-${held.dan}`).check();
  await page.locator("form#bulk").getByLabel("With the selected items:").selectOption("spam");
  await page.locator("form#bulk").getByRole("button", { name: "Apply" }).click();
  await page.waitForURL(/msg=spam/);
  assert.equal(await page.getByRole("link", { name: /^Spam \(/ }).textContent(), "Spam (1)");
  await page.getByRole("link", { name: "Spam (1)" }).click();
  assert.match(await page.locator(`#item-${held.dan}`).innerText(), /Dan Spammer/);
  assert.deepEqual(errors, []);
  await context.close();
});

async function noraId(): Promise<number> {
  return (await items()).find((i) => i.author_name === "Nora Noscript")?.id ?? 0;
}

test("the post page with its conversation: axe-clean in light and dark, and no sideways scroll at 375px", async () => {
  // One page for every check: the colour scheme and the width change without reloading.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${site.url}${postPath}`);
  assert.equal(await page.locator("#comment-list .comment-owner").count(), 1, "the page under test has a reply");
  assert.equal(await page.locator(".face-pile li").count(), 3, "and face piles");
  await page.evaluate(axeSource);
  const problems: string[] = [];
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: any[] }> } }).axe;
      const r = await axe.run();
      return r.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} node(s), e.g. ${v.nodes[0]?.target}`);
    });
    for (const v of violations) problems.push(`${colorScheme}: ${v}`);
  }
  assert.deepEqual(problems, [], problems.join("\n"));

  await page.setViewportSize({ width: 375, height: 800 });
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    form: document.querySelector("form.comment-form")?.getBoundingClientRect().right ?? 0,
    view: window.innerWidth,
  }));
  assert.ok(widths.page <= widths.view, `no sideways scroll at 375px: ${JSON.stringify(widths)}`);
  assert.ok(widths.form <= widths.view, "the form fits");
  await context.close();
});
