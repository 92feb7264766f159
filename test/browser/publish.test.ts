/**
 * End to end in Chromium: sign in, write and publish a post, see it on the home page, and find
 * it by a word that appears only in its body.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { createUser } from "../../src/auth/testing.ts";
import { saveTheme } from "../../src/content/testing.ts";
import { launchBrowser, type Site, startSite } from "./harness.ts";

let site: Site;
let browser: Browser;
before(async () => {
  site = await startSite();
  await saveTheme(site.ctx, { name: "Social web", description: "Going where the conversation is." });
  await createUser(site.ctx, { email: "owner@example.com", role: "owner", password: "correct horse battery" });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

test("sign in, publish a post, see it on the home page and find it by a body word", async () => {
  const page = await browser.newPage();
  const scriptErrors: string[] = [];
  page.on("pageerror", (e) => scriptErrors.push(String(e)));

  await page.goto(`${site.url}/admin`);
  assert.match(page.url(), /\/login/, "signed-out visitors are sent to the login page");
  await page.getByLabel("Email").fill("owner@example.com");
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname.startsWith("/admin"));

  await page.goto(`${site.url}/admin/posts/new`);
  await page.getByLabel(/^Title/).fill("Liner notes for the whole team");
  const body = "Our weekly flash report credits the source of the source, like album zygomorphic liner notes.";
  await page.locator('textarea[name="body"]').fill(body);
  // The live preview (external editor.js) renders the Markdown without a page load.
  await page.locator("#preview-body").getByText("zygomorphic").waitFor({ timeout: 5000 });
  await page.getByLabel("Social web").check();
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await page.waitForLoadState("load");

  await page.context().clearCookies();
  await page.goto(`${site.url}/`);
  const link = page.getByRole("link", { name: "Liner notes for the whole team" });
  assert.equal((await link.count()) > 0, true, "the new post is listed on the home page");

  await page.goto(`${site.url}/search`);
  await page.getByRole("searchbox").first().fill("zygomorphic");
  await page.getByRole("searchbox").first().press("Enter");
  await page.waitForURL(/q=zygomorphic/);
  assert.equal((await page.getByRole("link", { name: "Liner notes for the whole team" }).count()) > 0, true);
  assert.equal(
    (await page.locator("mark", { hasText: "zygomorphic" }).count()) > 0,
    true,
    "the body word is highlighted",
  );
  assert.deepEqual(scriptErrors, []);
});
