/**
 * Credit chains of more than one hop (issue 12, item 9): "via Bob, who found it at Carol's
 * Podcast" proposes Bob and then Carol's Podcast, on the save page (HTTP) and in detectCredits.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../../app.ts";
import { signIn } from "../../auth/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { detectCredits } from "./credits.ts";
import { insertSourceItem } from "./testing.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
beforeEach(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
});
afterEach(async () => ctx.cleanup());

const inputValues = (page: string, name: string) =>
  [...page.matchAll(new RegExp(`<input[^>]*name="${name}"[^>]*>`, "g"))].map(
    (m) => /value="([^"]*)"/.exec(m[0])?.[1] ?? "",
  );

test("the save page proposes the whole chain: source, Bob, Carol's Podcast", async () => {
  const b = await signIn(ctx, app);
  const { itemId } = await insertSourceItem(ctx, {
    sourceTitle: "Link Ledger",
    siteUrl: "https://ledger.example/",
    itemUrl: "https://article.example/story",
    itemTitle: "A story",
    html: "<p>Worth a listen (via Bob, who found it at Carol's Podcast).</p>",
  });
  const page = await (await b.request(`/admin/save?item=${itemId}`)).text();
  assert.deepEqual(inputValues(page, "credit_name").slice(0, 3), ["Link Ledger", "Bob", "Carol&#39;s Podcast"]);
});

test("hops follow links, names and domains; a lone 'who found it at' is not a credit", () => {
  const html = `<p>Via <a href="https://bob.example/">Bob</a>, who found it at <a href="https://carol.example/pod">Carol’s Podcast</a>, who got it from Dan Smith, who saw it on dan.example.</p>`;
  assert.deepEqual(detectCredits(html, "https://base.example/"), [
    { name: "Bob", url: "https://bob.example/" },
    { name: "Carol’s Podcast", url: "https://carol.example/pod" },
    { name: "Dan Smith", url: "" },
    { name: "dan.example", url: "https://dan.example/" },
  ]);
  assert.deepEqual(detectCredits("<p>My aunt, who found it at Home Depot, loves it.</p>"), []);
});
