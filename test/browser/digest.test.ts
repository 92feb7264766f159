/**
 * The digest editor in Chromium: drag an entry within its section and into another (digest.js
 * posts the order; it must survive a reload and be in the database), edit a blurb and save, see
 * the email preview in its sandboxed frame, and, with JavaScript off, reorder with the ↑/↓ buttons.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { addSubscriber, createList } from "../../src/audience/testing.ts";
import { createUser } from "../../src/auth/testing.ts";
import { digestStore, draftDigest } from "../../src/digest/testing.ts";
import { createSave, makeTheme } from "../../src/reader/testing.ts";
import { launchBrowser, type Site, startSite } from "./harness.ts";

const EMAIL = "owner@example.com";
const PASSWORD = "correct horse battery";
let site: Site;
let browser: Browser;
let digestId = 0;
const ids: Record<string, number> = {};

before(async () => {
  site = await startSite();
  const owner = await createUser(site.ctx, { email: EMAIL, name: "Owner", role: "owner", password: PASSWORD });
  const tools = await makeTheme(site.ctx, "Tools");
  const people = await makeTheme(site.ctx, "People");
  const start = new Date(Date.now() - 60_000);
  for (const [title, theme] of [
    ["Alpha", tools],
    ["Bravo", tools],
    ["Charlie", tools],
    ["Delta", people],
    ["Echo", people],
  ] as const) {
    const url = `https://${title.toLowerCase()}.example/`;
    await createSave(
      site.ctx,
      { id: owner.id, role: "owner" },
      { url, title, blurb: `About ${title}.`, themeIds: [theme] },
      { fetch: false },
    );
  }
  digestId = (await draftDigest(site.ctx, { since: start, until: new Date(Date.now() + 1000) })).id;
  for (const e of await digestStore(site.ctx.db).entries(digestId)) ids[e.title] = e.id;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

async function signedIn(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${site.url}/login`);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname.startsWith("/admin"));
  return page;
}

/** Section titles with their live entries' titles, in order, from the database. */
async function stored() {
  const store = digestStore(site.ctx.db);
  const entries = (await store.entries(digestId)).filter((e) => !e.removed_at);
  return (await store.sections(digestId)).map((s) => [
    s.title,
    entries.filter((e) => e.section_id === s.id).map((e) => e.title),
  ]);
}

/** The same, as the page shows it. */
const shown = (page: Page) =>
  page.$$eval("section.digest-section", (sections) =>
    sections.map((s) => [
      s.querySelector("h2")?.textContent ?? "",
      Array.from(s.querySelectorAll("li.digest-entry input[name^='title-']")).map((i) => (i as HTMLInputElement).value),
    ]),
  );

test("drag and drop reorders entries within and between sections; a blurb edit is saved", async () => {
  // Tall enough that source and target are on screen together, as when a person drags.
  const context = await browser.newContext({ viewport: { width: 1400, height: 2400 } });
  const page = await signedIn(context);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(`${site.url}/admin/digests/${digestId}`);
  assert.deepEqual(await stored(), [
    ["Tools", ["Alpha", "Bravo", "Charlie"]],
    ["People", ["Delta", "Echo"]],
  ]);

  // Within a section: Charlie to the top half of Alpha, so before it.
  await page
    .locator(`#entry-${ids.Charlie} .drag-handle`)
    .dragTo(page.locator(`#entry-${ids.Alpha}`), { targetPosition: { x: 40, y: 8 } });
  await page.locator("#order-status", { hasText: "Order saved." }).waitFor({ timeout: 5000 });
  assert.deepEqual(await stored(), [
    ["Tools", ["Charlie", "Alpha", "Bravo"]],
    ["People", ["Delta", "Echo"]],
  ]);

  // Into another section: Alpha to the top of Echo.
  await page.evaluate(() => {
    const s = document.getElementById("order-status");
    if (s) s.textContent = "";
  });
  await page
    .locator(`#entry-${ids.Alpha} .drag-handle`)
    .dragTo(page.locator(`#entry-${ids.Echo}`), { targetPosition: { x: 40, y: 8 } });
  await page.locator("#order-status", { hasText: "Order saved." }).waitFor({ timeout: 5000 });
  const expected = [
    ["Tools", ["Charlie", "Bravo"]],
    ["People", ["Delta", "Alpha", "Echo"]],
  ];
  assert.deepEqual(await stored(), expected);
  await page.reload();
  assert.deepEqual(await shown(page), expected, "the order survives a reload");

  // The email preview renders inside its sandboxed frame (its CSP allows the admin to frame it).
  const frame = page.frameLocator("iframe.email-preview");
  assert.equal(await frame.locator("h1").textContent(), (await digestStore(site.ctx.db).byId(digestId))?.title);
  assert.deepEqual(
    await frame.locator("h3 a").allTextContents(),
    ["Charlie", "Bravo", "Delta", "Alpha", "Echo"],
    "the preview shows the new order",
  );

  await page.locator(`textarea[name="blurb-${ids.Bravo}"]`).fill("Bravo, *rewritten* in the browser.");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.waitForURL(/msg=saved/);
  assert.equal((await digestStore(site.ctx.db).entry(ids.Bravo))?.blurb_md, "Bravo, *rewritten* in the browser.");
  assert.equal(
    await page.locator(`textarea[name="blurb-${ids.Bravo}"]`).inputValue(),
    "Bravo, *rewritten* in the browser.",
  );
  assert.match((await page.locator("pre.text-preview").textContent()) ?? "", /Bravo, rewritten in the browser\./);
  assert.deepEqual(errors, []);
  await context.close();
});

test("without JavaScript the ↑/↓ buttons reorder entries and sections", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await signedIn(context);
  await page.goto(`${site.url}/admin/digests/${digestId}`);
  assert.equal(await page.locator(".drag-handle").count(), 0, "no drag handles without the script");
  const before = await stored();
  assert.deepEqual(before[1], ["People", ["Delta", "Alpha", "Echo"]]);

  await page.getByRole("button", { name: "Move “Delta” down" }).click();
  await page.waitForURL(/msg=moved/);
  assert.deepEqual((await stored())[1], ["People", ["Alpha", "Delta", "Echo"]]);
  await page.getByRole("button", { name: "Move “People” up" }).click();
  await page.waitForURL(/msg=moved#section-/);
  const after = await stored();
  assert.deepEqual(
    after.map((s) => s[0]),
    ["People", "Tools"],
  );
  assert.deepEqual(await shown(page), after);
  await context.close();
});

test("without JavaScript: Send a test uses the introduction on the screen; Send the digest asks once with the count", async () => {
  await createList(site.ctx, { slug: "weekly", name: "Weekly" });
  await addSubscriber(site.ctx, { email: "reader@example.org", list: "weekly", confirmed: true, source: "test" });
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await signedIn(context);
  await page.goto(`${site.url}/admin/digests/${digestId}`);
  await page.getByLabel("Introduction (Markdown)").fill("Typed, never saved by hand.");
  await page.getByRole("button", { name: "Send a test to me" }).click();
  await page.waitForURL(/msg=test/);
  assert.equal((await digestStore(site.ctx.db).byId(digestId))?.intro_md, "Typed, never saved by hand.");
  assert.equal(await page.getByLabel("Introduction (Markdown)").inputValue(), "Typed, never saved by hand.");

  assert.ok(
    await page.getByRole("checkbox", { name: /Weekly \(1 confirmed\)/ }).isChecked(),
    "the only list is ticked",
  );
  await page.getByLabel("Closing note (Markdown)").fill("Until next week.");
  await page.getByRole("button", { name: "Send the digest" }).click();
  await page.getByText("Send to 1 subscriber of Weekly?").waitFor();
  assert.equal((await digestStore(site.ctx.db).byId(digestId))?.status, "draft", "nothing sent yet");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.waitForURL(/msg=sent/);
  const sent = await digestStore(site.ctx.db).byId(digestId);
  assert.deepEqual([sent?.status, sent?.closing_md], ["sent", "Until next week."]);
  await context.close();
});
