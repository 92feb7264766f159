/**
 * The admin's navigation: grouped under Write, Read, Audience and Settings in one order, the
 * current page marked, and each role seeing only its entries.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "./app.ts";
import { signIn } from "./auth/testing.ts";
import { saveSiteSettings } from "./content/index.ts";
import type { AppEnv } from "./lib/http/env.ts";
import { createTestContext, type TestContext } from "./lib/testing.ts";
import { groupNav, type NavEntry } from "./lib/ui/layout.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
before(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
});
after(() => ctx.cleanup());

/** The sidebar's groups and their links, in page order, as "Group: A, B". */
function sidebar(page: string): string[] {
  const side = page.slice(page.indexOf('<div class="sidebar">'));
  const nav = side.slice(0, side.indexOf("</nav>"));
  return nav
    .split('<div class="nav-group">')
    .slice(1)
    .map((g) => {
      const heading = /<p class="nav-heading">([^<]*)<\/p>/.exec(g)?.[1];
      const links = [...g.matchAll(/<a href="[^"]*"[^>]*>([^<]*)<\/a>/g)].map((m) => m[1]);
      return `${heading}: ${links.join(", ")}`;
    });
}

test("the owner's navigation is grouped: Write, Read, Audience, Settings", async () => {
  const owner = await signIn(ctx, app, { role: "owner" });
  const page = await (await owner.request("/admin/mail")).text();
  assert.deepEqual(sidebar(page), [
    "Write: Posts, Media, Themes",
    "Read: Reader, Saves, Sources, Discover",
    "Audience: Subscribers, Lists, Email, Digests, Events, Inquiries, Conversations, Fediverse, Insights",
    "Settings: Settings, Users, Accounts, Backups, Export",
  ]);
  // The same links in the phone's menu, a <details> that opens without JavaScript.
  assert.match(page, /<details class="menu">\s*<summary>Menu<\/summary>/);
  assert.equal(page.match(/aria-current="page">Email</g)?.length, 2, "the current page is marked in both");
});

test("the admin's bar carries the site's own title", async () => {
  const owner = await signIn(ctx, app, { role: "owner" });
  assert.match(await (await owner.request("/admin")).text(), /<a class="brand" href="\/admin">Liner Notes<\/a>/);
  await saveSiteSettings(ctx, { title: "Ann's <Field> Notes" });
  const page = await (await owner.request("/admin")).text();
  assert.match(page, /<a class="brand" href="\/admin">Ann&#39;s &lt;Field&gt; Notes<\/a>/);
  assert.match(page, /<title>Posts · Ann&#39;s &lt;Field&gt; Notes admin<\/title>/, "the tab names the site too");

  // Admin pages are never stored by a browser or a proxy; the stylesheet may be.
  assert.equal((await owner.request("/admin/posts")).headers.get("cache-control"), "no-store");
  assert.equal((await owner.request("/admin/no-such-page")).headers.get("cache-control"), "no-store");
  assert.match((await owner.request("/admin/assets/admin.css")).headers.get("cache-control") ?? "", /max-age=600/);
});

test("an author sees only the author's entries, still grouped", async () => {
  const author = await signIn(ctx, app, { role: "author" });
  const page = await (await author.request("/admin/posts")).text();
  assert.deepEqual(sidebar(page), ["Write: Posts, Media", "Read: Reader, Saves, Sources, Discover"]);
});

test("an entry without a group joins the group that names it, in the group's order", () => {
  const e = (id: string, order: number, group?: NavEntry["group"]): NavEntry => ({
    id,
    href: `/admin/${id}`,
    label: id,
    min: "author",
    order,
    group,
  });
  const groups = groupNav([e("mail", 30, "audience"), e("subscribers", 10, "audience"), e("lists", 99), e("x", 1)]);
  assert.deepEqual(
    groups.map((g) => `${g.label}: ${g.entries.map((n) => n.id).join(", ")}`),
    ["Audience: subscribers, lists, mail", "Settings: x"],
  );
});
