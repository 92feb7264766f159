/**
 * Settings → Accounts in Chromium: "Sign in with Mastodon" leaves for the instance (the fake
 * written from Mastodon's OAuth docs, which approves at once) and comes back connected, under
 * the admin's real Content-Security-Policy (a form may lead only to the site itself).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { createUser } from "../../src/auth/testing.ts";
import { type FakeMastodon, startFakeMastodon } from "../../src/syndication/fake-mastodon.ts";
import { launchBrowser, type Site, startSite } from "./harness.ts";

let site: Site;
let browser: Browser;
let mastodon: FakeMastodon;
before(async () => {
  site = await startSite();
  mastodon = await startFakeMastodon();
  await createUser(site.ctx, { email: "owner@example.com", role: "owner", password: "correct horse battery" });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await mastodon?.close();
  await site?.close();
});

test("Sign in with Mastodon goes to the instance and comes back connected; Enter in the token box connects with the token", async () => {
  const page = await browser.newPage();
  const blocked: string[] = [];
  page.on("console", (m) => m.type() === "error" && blocked.push(m.text()));
  await page.goto(`${site.url}/login`);
  await page.getByLabel("Email").fill("owner@example.com");
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname.startsWith("/admin"));

  await page.goto(`${site.url}/admin/accounts`);
  await page.locator("#mastodon-instance").fill(mastodon.url);
  await page.getByRole("button", { name: "Sign in with Mastodon" }).click();
  await page.waitForURL((u) => u.pathname === "/admin/accounts" && u.search.includes("msg=connected"), {
    timeout: 10_000,
  });
  assert.match(await page.locator("main").innerText(), /Connected: the credential worked\./);
  assert.match(await page.locator("main").innerText(), /Mastodon: @alice@127\.0\.0\.1/);
  assert.deepEqual(blocked, [], "nothing blocked by the page's policy");
  assert.equal(mastodon.apps.length, 1);

  // Enter in the token field submits the token, not the sign-in (the form's first button).
  await page.locator("#mastodon-instance").fill(mastodon.url);
  await page.locator("#mastodon-token").fill("not-the-token");
  await page.locator("#mastodon-token").press("Enter");
  await page.waitForLoadState("load");
  assert.match(await page.locator("main").innerText(), /refused the token/);
  assert.equal(mastodon.apps.length, 1, "no second app registered");
});
