/**
 * The post editor in Chromium (issue 12): the unsaved-changes warning (links ask, the form's own
 * submit doesn't), local and server autosave, pasting and dropping an image into the body (upload
 * with alt text, Markdown inserted), and the event details opening when the kind is "Event".
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { createUser } from "../../src/auth/testing.ts";
import { autosaveStore } from "../../src/content/autosave-store.ts";
import { listMedia } from "../../src/content/media.ts";
import { saveTheme } from "../../src/content/testing.ts";
import { launchBrowser, type Site, startSite } from "./harness.ts";

let site: Site;
let browser: Browser;
let page: Page;
/** Dialogs seen, and the answer to the next confirm/prompt (beforeunload is always accepted). */
const dialogs: string[] = [];
let answer: { accept: boolean; text?: string } = { accept: false };

before(async () => {
  site = await startSite();
  await saveTheme(site.ctx, { name: "Social web" });
  await createUser(site.ctx, { email: "owner@example.com", role: "owner", password: "correct horse battery" });
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on("dialog", (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    if (d.type() === "beforeunload" || answer.accept) void d.accept(answer.text);
    else void d.dismiss();
  });
  await page.goto(`${site.url}/login`);
  await page.getByLabel("Email").fill("owner@example.com");
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname.startsWith("/admin"));
});
after(async () => {
  await browser?.close();
  await site?.close();
});

const beforeUnloadBlocks = () =>
  page.evaluate(() => {
    const e = new Event("beforeunload", { cancelable: true });
    dispatchEvent(e);
    return e.defaultPrevented;
  });

test("unsaved edits: a nav link asks first, reload is guarded, and the form's own submit never asks", async () => {
  await page.goto(`${site.url}/admin/posts/new`);
  assert.equal(await beforeUnloadBlocks(), false, "nothing typed: nothing to warn about");
  await page.getByLabel(/^Title/).fill("Unsaved thoughts");
  assert.equal(await beforeUnloadBlocks(), true);

  answer = { accept: false };
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Media" }).click();
  assert.match(dialogs.at(-1) ?? "", /^confirm: You have unsaved changes/);
  assert.match(new URL(page.url()).pathname, /\/admin\/posts\/new$/, "cancel stays on the editor");
  assert.equal(await page.getByLabel(/^Title/).inputValue(), "Unsaved thoughts");

  const before = dialogs.length;
  await page.getByLabel("Social web").check();
  // Enter in a field saves (the form's first button is a hidden Save, not the side panel's Schedule).
  await page.getByLabel(/^Title/).press("Enter");
  await page.waitForURL(/\/admin\/posts\/\d+\?msg=draft/);
  assert.equal(dialogs.length, before, "saving the form does not warn");

  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Media" }).click();
  await page.waitForURL(/\/admin\/media/);
  assert.equal(dialogs.length, before, "a saved form leaves without a question");
});

test("autosave: the server gets one rolling copy, and this browser offers its newer local text", async () => {
  const [post] = await site.ctx.db.kysely.selectFrom("posts").select(["id", "body_md"]).execute();
  await page.goto(`${site.url}/admin/posts/${post.id}`);
  // The interval is 30 s; the form says so, and the test shortens it.
  assert.equal(await page.locator("form.editor").getAttribute("data-autosave-ms"), "30000");
  await page.locator("form.editor").evaluate((f) => {
    (f as HTMLFormElement).dataset.autosaveMs = "100";
  });
  await page.locator("#f-body").fill("Words typed but never saved.");
  await page
    .locator("#autosave-status")
    .getByText(/Autosaved at/)
    .waitFor({ timeout: 5000 });
  const row = await autosaveStore(site.ctx.db).byPost(post.id);
  assert.equal(row?.body_md, "Words typed but never saved.");
  const stored = await site.ctx.db.kysely
    .selectFrom("posts")
    .select("body_md")
    .where("id", "=", post.id)
    .executeTakeFirst();
  assert.equal(stored?.body_md, post.body_md, "the post itself is untouched");

  await page.waitForFunction((k) => localStorage.getItem(k)?.includes("never saved"), `liner-draft:post-${post.id}`);
  answer = { accept: true };
  await page.goto(`${site.url}/admin/posts/${post.id}`);
  answer = { accept: false };
  assert.equal(await page.locator("#f-body").inputValue(), post.body_md);
  await page.getByText("There is an autosaved version from").waitFor();
  await page.getByText("This browser kept newer text for this post").waitFor();
  // The admin's own way of writing a time ("5 Dec 2026, 00:40"), whatever the browser's locale.
  const banner = (await page.getByText("This browser kept newer text for this post").textContent()) ?? "";
  assert.match(banner, /\(from \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}\)/);
  await page.getByRole("button", { name: "Restore it" }).click();
  assert.equal(await page.locator("#f-body").inputValue(), "Words typed but never saved.");
  assert.equal(await beforeUnloadBlocks(), true, "restored text is not saved yet");
});

test("pasting or dropping an image uploads it with alt text and inserts its Markdown", async () => {
  const png = (
    await sharp({ create: { width: 60, height: 40, channels: 3, background: "#c00" } })
      .png()
      .toBuffer()
  ).toString("base64");
  await page.goto(`${site.url}/admin/posts/new`);
  await page.locator("#f-body").fill("Before the image.\n");
  answer = { accept: true, text: "A red square" };
  await page.locator("#f-body").evaluate((ta, b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], "image.png", { type: "image/png" }));
    const body = ta as HTMLTextAreaElement;
    body.focus();
    body.setSelectionRange(body.value.length, body.value.length);
    body.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, png);
  assert.match(dialogs.at(-1) ?? "", /^prompt: Alt text for “image.png”/);
  await page.waitForFunction(() =>
    /!\[A red square\]\(\/media\/[^)]+\.png\)/.test((document.getElementById("f-body") as HTMLTextAreaElement).value),
  );
  const value = await page.locator("#f-body").inputValue();
  assert.match(value, /^Before the image\.\n!\[A red square\]\(\/media\/[^)]+\.png\)\n$/);
  await page.locator("#upload-progress").getByText("Uploaded image.png.").waitFor();
  assert.equal(
    await page.locator("#upload-progress progress").first().getAttribute("aria-label"),
    "Upload of image.png",
  );
  assert.equal((await listMedia(site.ctx))[0].alt, "A red square");
  // The live preview shows it too.
  await page.locator('#preview-body img[alt="A red square"]').waitFor({ timeout: 5000 });

  answer = { accept: true, text: "Dropped in" };
  await page.locator("#f-body").evaluate((ta, b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], "drop.png", { type: "image/png" }));
    ta.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  }, png);
  await page.waitForFunction(() =>
    /!\[Dropped in\]\(\/media\//.test((document.getElementById("f-body") as HTMLTextAreaElement).value),
  );
  assert.equal((await listMedia(site.ctx)).length, 2);
  answer = { accept: false };
});

test("choosing the kind Event opens the event details at once", async () => {
  await page.goto(`${site.url}/admin/posts/new`);
  const details = page.locator("details.event-fields");
  assert.equal(await details.evaluate((d) => (d as HTMLDetailsElement).open), false);
  await page.getByLabel("Kind").selectOption("event");
  assert.equal(await details.evaluate((d) => (d as HTMLDetailsElement).open), true);
  assert.equal(await page.getByLabel("Starts").isVisible(), true);
  await page.getByLabel("Kind").selectOption("article");
  assert.equal(await details.evaluate((d) => (d as HTMLDetailsElement).open), false);
});
