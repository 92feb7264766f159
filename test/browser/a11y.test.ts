/**
 * Every public page template, loaded in Chromium over the demo site, passes axe-core with no
 * serious or critical violations, in light and dark colour schemes, and makes no request to any
 * other host (visits are counted by the server; share links, when on, are plain links).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { createList } from "../../src/audience/testing.ts";
import { postStore, savePost, seedDemo, systemActor, themeStore } from "../../src/content/testing.ts";
import { parseEventFields, saveEventDetails } from "../../src/events/testing.ts";
import { launchBrowser, type Site, startSite } from "./harness.ts";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let site: Site;
let browser: Browser;
const paths: string[] = [];
const formPaths: string[] = [];
before(async () => {
  site = await startSite();
  await seedDemo(site.ctx);
  const posts = await postStore(site.ctx.db).list({ status: "published", limit: 100 });
  const article = posts.find((p) => p.kind === "article");
  const deck = posts.find((p) => p.kind === "presentation");
  const theme = (await themeStore(site.ctx.db).all())[0];
  assert.ok(article && deck && theme, "the demo site has an article, a presentation and a theme");
  const year = article.published_at?.slice(0, 4);
  // The public forms: subscribe (one list) and an upcoming event's page with its registration form.
  await createList(site.ctx, { slug: "articles", name: "New articles", promise: "About twice a month." });
  const event = await savePost(site.ctx, systemActor, {
    kind: "event",
    title: "A workshop on lists",
    summary: "Two hours on consent",
    body: "We build a list together.",
    themeIds: [theme.id],
    status: "published",
  });
  const at = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);
  await saveEventDetails(
    site.ctx,
    event.id,
    parseEventFields({
      eventStart: at(30),
      eventEnd: at(30.1),
      eventTimeZone: "Europe/Berlin",
      eventVenue: "Kulturhaus, Berlin",
      eventOnlineUrl: "https://meet.example.com/lists",
      eventCapacity: "20",
      eventQuestion: "What do you want to learn?",
    }),
  );
  // Share links for readers on: plain links, nothing loaded from those sites.
  await site.ctx.db.kysely.insertInto("synd_settings").values({ name: "share_links", value: "1" }).execute();
  formPaths.push("/subscribe", `/posts/${event.slug}`);
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
    "/events",
    ...formPaths,
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
    // No public page asks any other host for anything (no fonts, scripts, images or beacons).
    const offsite: string[] = [];
    let seen = 0;
    page.on("request", (r) => {
      seen++;
      const u = r.url();
      if (!u.startsWith("data:") && !u.startsWith("blob:") && new URL(u).origin !== site.url) offsite.push(u);
    });
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
    assert.ok(seen > paths.length, `requests were watched (${seen})`);
    assert.deepEqual(offsite, [], "every request went to the site itself");
  });
}

test("public forms stack each label above its field, and the fields share one width (390px and 1280px)", async () => {
  for (const width of [390, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    for (const path of formPaths) {
      await page.goto(`${site.url}${path}`);
      const boxes = await page.evaluate(() =>
        [...document.querySelectorAll("form.subscribe-form label[for]")].flatMap((label) => {
          const field = document.getElementById(label.getAttribute("for") ?? "");
          if (!field || field.closest(".visually-hidden")) return [];
          const l = label.getBoundingClientRect();
          const f = field.getBoundingClientRect();
          return [
            {
              name: field.getAttribute("name"),
              labelBottom: l.bottom,
              labelLeft: l.left,
              top: f.top,
              left: f.left,
              width: f.width,
            },
          ];
        }),
      );
      assert.ok(boxes.length >= 2, `${path}: the form's fields are found`);
      for (const b of boxes) {
        assert.ok(b.labelBottom <= b.top + 1, `${path} at ${width}px: the label of ${b.name} is above its field`);
        assert.ok(Math.abs(b.labelLeft - b.left) < 2, `${path} at ${width}px: ${b.name}'s label and field line up`);
      }
      const widths = boxes.map((b) => Math.round(b.width));
      assert.ok(Math.max(...widths) - Math.min(...widths) <= 1, `${path} at ${width}px: even widths, got ${widths}`);
      assert.ok(
        await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
        `${path} at ${width}px: no sideways scroll`,
      );
    }
    await context.close();
  }
});
