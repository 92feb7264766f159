import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Browser, signIn } from "../auth/testing.ts";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import { followerStore, followingStore } from "./relations-store.ts";
import { type ServedSite, serveSite } from "./testing.ts";

// Two Liner sites on plain HTTP (loopback, LINER_ALLOW_PRIVATE_FETCH as tests run): B's owner
// follows A's account from Sources, A accepts, and what A publishes arrives in B's reader.
let a: ServedSite;
let b: ServedSite;
let ownerB: Browser;
let sourceId = 0;

/** Run both sites' jobs until `done` holds (deliveries bounce between them). */
async function settle(done: () => Promise<boolean>, label: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    await a.ctx.runner.drain();
    await b.ctx.runner.drain();
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(label);
}
const itemsOfB = () => b.ctx.db.kysely.selectFrom("items").selectAll().execute();

before(async () => {
  a = await serveSite();
  b = await serveSite();
  ownerB = await signIn(b.ctx, b.app);
});
after(async () => {
  await b.close();
  await a.close();
});

test("site B follows site A's @owner@host; A accepts", async () => {
  const handle = `@owner@${new URL(a.origin).host}`;
  const res = await ownerB.form("/admin/sources", { url: handle, folder: "", title: "" });
  assert.equal(res.status, 303);
  sourceId = Number(/id=(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
  await settle(
    async () => (await followingStore(b.ctx.db).byActor(a.actorUri))?.status === "accepted",
    "B's follow of A was accepted",
  );
  const follower = await followerStore(a.ctx.db).byActor(b.actorUri);
  assert.equal(follower?.status, "accepted");
  assert.equal(follower?.handle, `@owner@${new URL(b.origin).host}`);
});

test("A publishes an article: it arrives in B's reader under A's account", async () => {
  const theme = await saveTheme(a.ctx, { name: "Social web", slug: "social-web" });
  await savePost(a.ctx, systemActor, {
    kind: "article",
    title: "Owning your words",
    slug: "owning",
    body: "Write on your **own** site.",
    themeIds: [theme.id],
    status: "published",
  });
  await settle(async () => (await itemsOfB()).length > 0, "the article reached B's reader");
  const [item] = await itemsOfB();
  assert.equal(item.source_id, sourceId);
  assert.equal(item.title, "Owning your words");
  assert.equal(item.url, `${a.origin}/posts/owning`);
  assert.match(item.content_html, /Write on your <strong>own<\/strong> site\./);
  const page = await (await ownerB.request(`/admin/reader/items/${item.id}`)).text();
  assert.match(page, /<h1>Owning your words<\/h1>/);
});

test("B removes the source: A loses its follower", async () => {
  const res = await ownerB.form(`/admin/sources/${sourceId}/unfollow`, {});
  assert.equal(res.status, 303);
  await settle(async () => (await followerStore(a.ctx.db).byActor(b.actorUri))?.removed_at != null, "A got the Undo");
  assert.equal((await followerStore(a.ctx.db).byActor(b.actorUri))?.removed_reason, "unfollowed");
});
