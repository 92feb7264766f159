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

test("B's owner answers A's post from the reader, and A's owner answers back from the conversation inbox", async () => {
  const [item] = await itemsOfB();
  const page = await (await ownerB.request(`/admin/reader/items/${item.id}`)).text();
  assert.match(page, new RegExp(`href="/admin/fediverse/reply/${item.id}"`), "a Reply button on the item");
  const form = await ownerB.request(`/admin/fediverse/reply/${item.id}`);
  assert.equal(form.status, 200);
  assert.match(await form.text(), /Reply to/);

  const empty = await ownerB.form(`/admin/fediverse/reply/${item.id}`, { text: "  " });
  assert.equal(empty.status, 400);
  assert.match(await empty.text(), /Write your reply first/);
  const tooLong = await ownerB.form(`/admin/fediverse/reply/${item.id}`, { text: "x".repeat(5001) });
  assert.equal(tooLong.status, 400);
  assert.match(await tooLong.text(), /5001 characters; at most 5000/);
  assert.equal(
    await b.ctx.db.kysely
      .selectFrom("fedi_notes")
      .selectAll()
      .execute()
      .then((r) => r.length),
    0,
  );

  const sent = await ownerB.form(`/admin/fediverse/reply/${item.id}`, { text: "Agreed, and *more*." });
  assert.equal(sent.status, 303);
  assert.equal(sent.headers.get("location"), `/admin/fediverse/reply/${item.id}?msg=sent`);
  const fromB = () =>
    a.ctx.db.kysely
      .selectFrom("conversation_items")
      .selectAll()
      .where("author_key", "=", `ap:${b.actorUri}`)
      .executeTakeFirst();
  await settle(async () => (await fromB()) !== undefined, "B's answer reached A's conversation inbox");
  const answer = await fromB();
  assert.match(answer?.html ?? "", /Agreed, and <em>more<\/em>\./);
  assert.equal(answer?.status, "pending", "moderated like a comment");
  const note = await (await b.app.request("/ap/notes/1", { headers: { accept: "application/activity+json" } })).json();
  const post = await a.ctx.db.kysely
    .selectFrom("posts")
    .select("id")
    .where("slug", "=", "owning")
    .executeTakeFirstOrThrow();
  assert.equal(note.inReplyTo, `${a.origin}/ap/posts/${post.id}`, "in reply to the post's object id, not its page");
  assert.equal(note.id, answer?.remote_id);
  assert.equal(note.to, a.actorUri);

  const ownerA = await signIn(a.ctx, a.app);
  assert.equal((await ownerA.form(`/admin/conversations/${answer?.id}/reply`, { text: "Thanks, B." })).status, 303);
  await settle(
    async () => (await itemsOfB()).some((i) => i.content_html.includes("Thanks, B.")),
    "A's answer reached B's reader",
  );
  const list = await (await ownerB.request(`/admin/fediverse/reply/${item.id}`)).text();
  assert.match(list, new RegExp(`To @owner@${new URL(a.origin).host}`));
  assert.match(list, /Agreed, and <em>more<\/em>/, "with what was said");

  // B answers A's answer: it goes under that answer in A's thread, not under the post.
  const answerItem = (await itemsOfB()).find((i) => i.content_html.includes("Thanks, B."));
  const ownerAnswer = await a.ctx.db.kysely
    .selectFrom("conversation_items")
    .select(["id", "parent_id"])
    .where("owner_reply", "=", 1)
    .executeTakeFirstOrThrow();
  assert.equal(
    (await ownerB.form(`/admin/fediverse/reply/${answerItem?.id}`, { text: "You're welcome." })).status,
    303,
  );
  const nested = () =>
    a.ctx.db.kysely.selectFrom("conversation_items").selectAll().where("html", "like", "%welcome%").executeTakeFirst();
  await settle(async () => (await nested()) !== undefined, "B's second answer reached A");
  // Threads are one level deep: an answer to the owner's answer joins the thread it is in.
  assert.equal((await nested())?.parent_id, ownerAnswer.parent_id, "in the thread of A's answer, not at the top");
  const second = await (
    await b.app.request("/ap/notes/2", { headers: { accept: "application/activity+json" } })
  ).json();
  assert.equal(second.inReplyTo, `${a.origin}/ap/replies/${ownerAnswer.id}`, "in reply to the answer itself");

  // The post is gone from its server: nothing is sent or stored, and the text is kept.
  await b.ctx.db.kysely
    .updateTable("items")
    .set({ url: `${a.origin}/posts/gone`, dedupe_key: `${a.origin}/posts/gone` })
    .where("id", "=", item.id)
    .execute();
  const gone = await ownerB.form(`/admin/fediverse/reply/${item.id}`, { text: "Still there?" });
  assert.equal(gone.status, 502);
  const body = await gone.text();
  assert.match(body, /Nothing was sent\. The post could not be read from its server/);
  assert.match(body, />Still there\?<\/textarea>/);
  assert.equal((await b.ctx.db.kysely.selectFrom("fedi_notes").selectAll().execute()).length, 2);
  await b.ctx.db.kysely
    .updateTable("items")
    .set({ url: item.url, dedupe_key: item.dedupe_key })
    .where("id", "=", item.id)
    .execute();
});

test("B removes the source: A loses its follower", async () => {
  const res = await ownerB.form(`/admin/sources/${sourceId}/unfollow`, {});
  assert.equal(res.status, 303);
  await settle(async () => (await followerStore(a.ctx.db).byActor(b.actorUri))?.removed_at != null, "A got the Undo");
  assert.equal((await followerStore(a.ctx.db).byActor(b.actorUri))?.removed_reason, "unfollowed");
});
