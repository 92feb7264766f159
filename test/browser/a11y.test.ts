/**
 * Every public page template, loaded in Chromium over the demo site, passes axe-core with no
 * serious or critical violations, in light and dark colour schemes.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { postStore, seedDemo, themeStore } from "../../src/content/testing.ts";
import { launchBrowser, type Site, startSite } from "./harness.ts";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let site: Site;
let browser: Browser;
const paths: string[] = [];
before(async () => {
  site = await startSite();
  await seedDemo(site.ctx);
  const posts = await postStore(site.ctx.db).list({ status: "published", limit: 100 });
  const article = posts.find((p) => p.kind === "article");
  const deck = posts.find((p) => p.kind === "presentation");
  const theme = (await themeStore(site.ctx.db).all())[0];
  assert.ok(article && deck && theme, "the demo site has an article, a presentation and a theme");
  const year = article.published_at?.slice(0, 4);
  paths.push(
    "/",
    `/posts/${article.slug}`,
    `/posts/${deck.slug}`,
    `/posts/${deck.slug}/handout`,
    "/about",
    "/themes",
    `/themes/${theme.slug}`,
    "/archive",
    `/archive/${year}`,
    "/search?q=conversation",
    "/search?q=nothingmatchesthis",
    "/no-such-page",
    "/login",
  );
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

for (const scheme of ["light", "dark"] as const) {
  test(`public templates have no serious or critical axe violations (${scheme})`, async () => {
    // axe is injected through the DevTools protocol; the page's own CSP stays in force.
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    const cspErrors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    const problems: string[] = [];
    for (const path of paths) {
      const res = await page.goto(`${site.url}${path}`);
      assert.ok(res, `no response for ${path}`);
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: any[] }> } }).axe;
        const r = await axe.run();
        return r.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} node(s), e.g. ${v.nodes[0]?.target}`);
      });
      for (const v of violations) problems.push(`${path}: ${v}`);
    }
    await context.close();
    assert.deepEqual(problems, [], problems.join("\n"));
    assert.deepEqual(cspErrors, [], "no resource was blocked by our own CSP");
  });
}
