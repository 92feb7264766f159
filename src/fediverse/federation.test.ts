import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Create, Delete, Follow, Like, Note, PUBLIC_COLLECTION, Undo, Update } from "@fedify/vocab";
import { signIn } from "../auth/testing.ts";
import { deletePost } from "../content/index.ts";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import { itemStore } from "../conversation/testing.ts";
import { followerStore } from "./relations-store.ts";
import { type Peer, type ServedSite, serveSite, startPeer, until } from "./testing.ts";

// One site and one independent Fedify server (a Mastodon-like account) on loopback, talking
// over real HTTP with real signatures; the tests run in order, as a conversation would.
let site: ServedSite;
let alice: Peer;
let postId = 0;
let themeId = 0;
const inbox = () => `${site.origin}/ap/inbox`;
const drain = () => site.ctx.runner.drain();
const wait = until;

before(async () => {
  site = await serveSite();
  alice = await startPeer("alice");
});
after(async () => {
  await alice.close();
  await site.close();
});

test("a Fedify account follows the site: the follower is stored and gets an Accept", async () => {
  await alice.send(
    (me) => new Follow({ id: new URL(`${me.href}#follows/1`), actor: me, object: new URL(site.actorUri) }),
    `${site.origin}/ap/actor/owner/inbox`,
    site.actorUri,
  );
  await drain();
  const f = await followerStore(site.ctx.db).byActor(alice.actorUri);
  assert.equal(f?.status, "accepted");
  assert.equal(f?.handle, `@alice@127.0.0.2:${new URL(alice.origin).port}`);
  assert.equal(f?.name, "Alice Peer");
  await wait(() => alice.received.some((r) => r.type === "Accept"), "the peer received the Accept");
  const res = await fetch(`${site.origin}/ap/actor/owner/followers`, {
    headers: { accept: "application/activity+json" },
  });
  assert.equal(((await res.json()) as { totalItems: number }).totalItems, 1);
});

test("a published article reaches the follower as Create(Article) with a title, a URL and hashtags", async () => {
  const theme = await saveTheme(site.ctx, { name: "Social web", slug: "social-web" });
  themeId = theme.id;
  const post = await savePost(site.ctx, systemActor, {
    kind: "article",
    title: "Owning your words",
    slug: "owning",
    body: "Write on your **own** site.",
    themeIds: [theme.id],
    status: "published",
  });
  postId = post.id;
  await drain();
  await wait(() => alice.received.some((r) => r.type === "Create"), "the peer received the Create");
  const create = alice.received.find((r) => r.type === "Create")?.json as Record<string, any>;
  assert.equal(create.object.type, "Article");
  assert.equal(create.object.name, "Owning your words");
  assert.equal(create.object.url, `${site.origin}/posts/owning`);
  assert.match(JSON.stringify(create.object.tag), /#SocialWeb/);
  // The post's own URL, asked for as ActivityStreams (pasted into a search), is the same object,
  // even once its page is in the page cache.
  assert.equal((await fetch(`${site.origin}/posts/owning`)).status, 200);
  assert.equal((await fetch(`${site.origin}/posts/owning`)).status, 200);
  const byPage = await fetch(`${site.origin}/posts/owning`, { headers: { accept: "application/activity+json" } });
  assert.equal(((await byPage.json()) as { id: string }).id, create.object.id);
});

test("a reply, its edit and its deletion; a like and its undoing", async () => {
  const objectId = `${site.origin}/ap/posts/${postId}`;
  const noteId = (me: URL) => new URL(`${me.href}/statuses/1`);
  const note = (me: URL, content: string) =>
    new Note({
      id: noteId(me),
      attribution: me,
      replyTarget: new URL(objectId),
      content,
      to: PUBLIC_COLLECTION,
      url: new URL(`${me.href}/statuses/1`),
    });
  await alice.send(
    (me) =>
      new Create({ id: new URL(`${me.href}#c1`), actor: me, object: note(me, "<p>So true <script>x</script></p>") }),
    inbox(),
    site.actorUri,
  );
  await drain();
  const items = itemStore(site.ctx.db);
  let reply = await items.byRemote("activitypub", `${alice.actorUri}/statuses/1`);
  assert.equal(reply?.kind, "reply");
  assert.equal(reply?.status, "pending", "a first reply waits for the owner");
  assert.equal(reply?.author_name, "Alice Peer");
  assert.equal(reply?.html, "<p>So true </p>");
  await alice.send(
    (me) => new Update({ id: new URL(`${me.href}#u1`), actor: me, object: note(me, "<p>So very true</p>") }),
    inbox(),
    site.actorUri,
  );
  await drain();
  reply = await items.byRemote("activitypub", `${alice.actorUri}/statuses/1`);
  assert.equal(reply?.text, "So very true");

  await alice.send(
    (me) => new Like({ id: new URL(`${me.href}#likes/1`), actor: me, object: new URL(objectId) }),
    inbox(),
    site.actorUri,
  );
  await drain();
  const like = await items.byRemote("activitypub", `${alice.actorUri}#likes/1`);
  assert.equal(like?.kind, "like");
  assert.equal(like?.status, "approved");
  // The like joins the post's face pile, beside Webmention likes.
  const page = await (await fetch(`${site.origin}/posts/owning`)).text();
  assert.match(page, /Alice Peer/);
  await alice.send(
    (me) =>
      new Undo({
        id: new URL(`${me.href}#undo/1`),
        actor: me,
        object: new Like({ id: new URL(`${me.href}#likes/1`), actor: me, object: new URL(objectId) }),
      }),
    inbox(),
    site.actorUri,
  );
  await drain();
  assert.equal(await items.byRemote("activitypub", `${alice.actorUri}#likes/1`), undefined);

  await alice.send(
    (me) => new Delete({ id: new URL(`${me.href}#d1`), actor: me, object: noteId(me) }),
    inbox(),
    site.actorUri,
  );
  await drain();
  assert.equal(await items.byRemote("activitypub", `${alice.actorUri}/statuses/1`), undefined);
});

test("the owner answers a fediverse reply from the inbox: a Note in reply to it, mentioning its author", async () => {
  const objectId = `${site.origin}/ap/posts/${postId}`;
  await alice.send(
    (me) =>
      new Create({
        id: new URL(`${me.href}#c2`),
        actor: me,
        object: new Note({
          id: new URL(`${me.href}/statuses/2`),
          attribution: me,
          replyTarget: new URL(objectId),
          content: "<p>A question?</p>",
          to: PUBLIC_COLLECTION,
        }),
      }),
    inbox(),
    site.actorUri,
  );
  await drain();
  const item = await itemStore(site.ctx.db).byRemote("activitypub", `${alice.actorUri}/statuses/2`);
  assert.ok(item);
  const owner = await signIn(site.ctx, site.app);
  const res = await owner.form(`/admin/conversations/${item.id}/reply`, { text: "An answer." });
  assert.equal(res.status, 303);
  await drain();
  await wait(
    () =>
      alice.received.some(
        (r) =>
          r.type === "Create" &&
          (r.json.object as Record<string, unknown>)?.inReplyTo === `${alice.actorUri}/statuses/2`,
      ),
    "the answer arrived",
  );
  const answer = alice.received.find(
    (r) => r.type === "Create" && (r.json.object as Record<string, unknown>)?.inReplyTo,
  )?.json.object as Record<string, any>;
  assert.match(answer.content, /An answer\./);
  assert.match(JSON.stringify(answer.tag), /Mention/);
  // And a like from home.
  assert.equal((await owner.form(`/admin/conversations/${item.id}/like`, {})).status, 303);
  await drain();
  await wait(
    () => alice.received.some((r) => r.type === "Like" && r.json.object === `${alice.actorUri}/statuses/2`),
    "the like arrived",
  );
  // The answer can be fetched where its id says.
  const fetched = await fetch(answer.id, { headers: { accept: "application/activity+json" } });
  assert.equal(fetched.status, 200);
});

test("an edit goes out as Update, an unpublished post as Delete with a Tombstone", async () => {
  const revised = {
    kind: "article",
    title: "Owning your words, revised",
    slug: "owning",
    body: "Still true.",
    themeIds: [themeId],
    status: "published",
  };
  await savePost(site.ctx, systemActor, revised, postId);
  await drain();
  await wait(() => alice.received.some((r) => r.type === "Update"), "the Update arrived");
  const update = alice.received.find((r) => r.type === "Update")?.json as Record<string, any>;
  assert.equal(update.object.name, "Owning your words, revised");
  await deletePost(site.ctx, systemActor, postId);
  await drain();
  await wait(() => alice.received.some((r) => r.type === "Delete"), "the Delete arrived");
  const del = alice.received.find((r) => r.type === "Delete")?.json as Record<string, any>;
  assert.equal(del.object.type, "Tombstone");
  assert.equal(del.object.id, `${site.origin}/ap/posts/${postId}`);
  const gone = await fetch(`${site.origin}/ap/posts/${postId}`, { headers: { accept: "application/activity+json" } });
  assert.equal(gone.status, 404);
});

test("the follower unfollows: it is kept as a past follower and gets no more posts", async () => {
  await alice.send(
    (me) =>
      new Undo({
        id: new URL(`${me.href}#undo/2`),
        actor: me,
        object: new Follow({ id: new URL(`${me.href}#follows/1`), actor: me, object: new URL(site.actorUri) }),
      }),
    inbox(),
    site.actorUri,
  );
  await drain();
  const f = await followerStore(site.ctx.db).byActor(alice.actorUri);
  assert.equal(f?.removed_reason, "unfollowed");
  assert.equal(await followerStore(site.ctx.db).count(), 0);
});
