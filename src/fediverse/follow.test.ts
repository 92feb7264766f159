import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Announce, Create, Follow, Hashtag, Note, PUBLIC_COLLECTION, type Undo } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { type Browser, signIn } from "../auth/testing.ts";
import { followingStore } from "./relations-store.ts";
import { type Peer, type ServedSite, serveSite, startPeer, until } from "./testing.ts";

// The owner follows a Fedify account (Mastodon-like, on its own loopback address) from Sources:
// our Follow and its Accept, its posts and boosts in the reader, saving with credits, unfollowing.
let site: ServedSite;
let alice: Peer;
let carol: Peer;
let owner: Browser;
let handle = "";
let sourceId = 0;
const drain = () => site.ctx.runner.drain();
const wait = until;
const items = () => site.ctx.db.kysely.selectFrom("items").selectAll().orderBy("id").execute();
const note = (me: URL, n: number, content: string, extra: Partial<ConstructorParameters<typeof Note>[0]> = {}) =>
  new Note({
    id: new URL(`${me.href}/statuses/${n}`),
    attribution: me,
    content,
    url: new URL(`${me.origin}/@${me.pathname.split("/").pop()}/${n}`),
    published: Temporal.Instant.from("2026-03-01T10:00:00Z") as never,
    to: PUBLIC_COLLECTION,
    ...extra,
  });
const create = (me: URL, object: Note) =>
  new Create({ id: new URL(`${object.id?.href}/activity`), actor: me, object, tos: object.toIds, ccs: object.ccIds });

before(async () => {
  site = await serveSite();
  alice = await startPeer("alice");
  carol = await startPeer("carol", "127.0.0.3");
  owner = await signIn(site.ctx, site.app);
  handle = `@alice@127.0.0.2:${new URL(alice.origin).port}`;
});
after(async () => {
  await carol.close();
  await alice.close();
  await site.close();
});

test("following @user@host from Sources sends our Follow; the account's Accept is recorded", async () => {
  const res = await owner.form("/admin/sources", { url: handle, folder: "", title: "" });
  assert.equal(res.status, 303);
  const location = res.headers.get("location") ?? "";
  sourceId = Number(/id=(\d+)/.exec(location)?.[1]);
  assert.match(await (await owner.request(location)).text(), new RegExp(`Now following “${handle}” \\(0 items\\)`));
  await drain();
  await wait(() => alice.received.some((r) => r.type === "Follow"), "the peer received our Follow");
  const follow = alice.received.find((r) => r.type === "Follow")?.activity as Follow;
  assert.equal(follow.actorId?.href, site.actorUri);
  assert.equal(follow.objectId?.href, alice.actorUri);
  await drain();
  assert.equal((await followingStore(site.ctx.db).byActor(alice.actorUri))?.status, "accepted");
  const following = await fetch(`${site.origin}/ap/actor/owner/following?cursor=0`, {
    headers: { accept: "application/activity+json" },
  });
  assert.deepEqual(((await following.json()) as { orderedItems: unknown }).orderedItems, [alice.actorUri]);
  // Once is enough: the same account again is refused, the form kept.
  const again = await owner.form("/admin/sources", { url: handle, folder: "", title: "" });
  assert.equal(again.status, 409);
  assert.match(await again.text(), /You already follow “@alice@127\.0\.0\.2:\d+”/);
});

test("its public notes and boosts arrive in the reader; a boost names who boosted it and credits the author", async () => {
  const carolNote = note(new URL(carol.actorUri), 9, "<p>Carol's long read on owning your words</p>");
  await carol.serve(carolNote);
  await alice.post((me) =>
    create(
      me,
      note(me, 1, "<p>Read this, via @bob@example.social <script>alert(1)</script></p>", {
        tags: [new Hashtag({ name: "#IndieWeb", href: new URL("https://example.social/tags/indieweb") })],
      }),
    ),
  );
  // Not for the reader: a followers-only note, a reply to someone else, a private boost.
  await alice.post((me) =>
    create(me, note(me, 2, "<p>Only for followers</p>", { to: new URL(`${me.href}/followers`) })),
  );
  await alice.post((me) =>
    create(me, note(me, 3, "<p>@dan yes</p>", { replyTarget: new URL("https://elsewhere.example/notes/1") })),
  );
  await alice.post(
    (me) =>
      new Announce({
        id: new URL(`${me.href}/statuses/4/activity`),
        actor: me,
        object: carolNote.id,
        to: PUBLIC_COLLECTION,
      }),
  );
  await drain();
  const rows = await items();
  assert.equal(rows.length, 2, JSON.stringify(rows.map((r) => r.title)));
  // Activities are handled in parallel: which is stored first is not fixed.
  const post = rows.find((r) => r.url === `${alice.origin}/@alice/1`);
  const boost = rows.find((r) => r.url === `${carol.origin}/@carol/9`);
  assert.ok(post && boost, JSON.stringify(rows.map((r) => r.url)));
  assert.equal(post.title, "Read this, via @bob@example.social");
  assert.doesNotMatch(post.content_html, /script/);
  assert.deepEqual(JSON.parse(post.categories), ["IndieWeb"]);
  assert.equal(post.published_at, "2026-03-01T10:00:00.000Z");
  assert.equal(boost.url, `${carol.origin}/@carol/9`);
  assert.equal(JSON.parse(boost.authors)[0].name, "Carol Peer");
  assert.match(
    boost.content_html.replace(/ rel="[^"]*"/g, ""),
    new RegExp(
      `^<p>Boosted by <a href="${alice.origin}/@alice">${handle}</a>; originally by <a href="${carol.origin}/@carol">Carol Peer</a>\\.</p>`,
    ),
  );

  const inbox = await (await owner.request("/admin/reader")).text();
  assert.match(inbox, /Boosted by @alice@127\.0\.0\.2:\d+; originally by Carol Peer/);
  const page = await (await owner.request(`/admin/reader/items/${boost.id}`)).text();
  assert.match(page, /By Carol Peer/);
  // Saving the note proposes the account as where it was read, then whom it credits.
  const save = await (await owner.request(`/admin/save?item=${post.id}`)).text();
  const credits = [...save.matchAll(/name="credit_name" type="text" value="([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(credits.filter(Boolean), [handle, "@bob@example.social"]);
  // The same post delivered again is kept once.
  await alice.post((me) => create(me, note(me, 1, "<p>Read this again</p>")));
  await drain();
  assert.equal((await items()).length, 2);
});

test("removing the source sends Undo(Follow) and forgets the account", async () => {
  const followId = (await followingStore(site.ctx.db).byActor(alice.actorUri))?.follow_id;
  const res = await owner.form(`/admin/sources/${sourceId}/unfollow`, {});
  assert.equal(res.status, 303);
  await drain();
  await wait(() => alice.received.some((r) => r.type === "Undo"), "the peer received the Undo");
  const undo = alice.received.find((r) => r.type === "Undo")?.activity as Undo;
  const undone = await undo.getObject();
  assert.ok(undone instanceof Follow);
  assert.equal(undone.id?.href, followId);
  assert.equal(alice.followers.size, 0);
  assert.equal(await followingStore(site.ctx.db).byActor(alice.actorUri), undefined);
  assert.equal((await items()).length, 0, "its items went with the source");
  // Our Follow is no longer served once we stopped following.
  assert.equal((await fetch(followId ?? "")).status, 404);
});

test("bad input on the form: a malformed handle, an unknown account, an unreachable host", async () => {
  const cases: [string, RegExp][] = [
    ["@alice", /“@alice” is not a fediverse account&#39;s address: write it as @user@host/],
    ["@al ice@example.social", /is not a fediverse account&#39;s address/],
    [
      `@nobody@127.0.0.2:${new URL(alice.origin).port}`,
      /There is no account @nobody@127\.0\.0\.2:\d+: 127\.0\.0\.2:\d+ does not know it\./,
    ],
    ["@bob@127.0.0.1:1", /Could not reach 127\.0\.0\.1:1 to look up @bob@127\.0\.0\.1:1: .*connection refused/],
  ];
  for (const [input, message] of cases) {
    const res = await owner.form("/admin/sources", { url: input, folder: "", title: "Kept" });
    assert.equal(res.status, 422, input);
    const page = await res.text();
    assert.match(page, message);
    assert.match(page, /value="Kept"/, "the form keeps what was typed");
  }
  assert.equal((await site.ctx.db.kysely.selectFrom("sources").selectAll().execute()).length, 0);
});

test("a profile's address follows the account too; one that is no account is looked for as a feed", async () => {
  const res = await owner.form("/admin/sources", { url: alice.actorUri, folder: "", title: "" });
  assert.equal(res.status, 303);
  const [source] = await site.ctx.db.kysely.selectFrom("sources").selectAll().execute();
  assert.equal(source.kind, "activitypub");
  assert.equal(source.remote_id, alice.actorUri);
  assert.equal(source.title, handle);
  // Its profile page is that account, followed already.
  const again = await owner.form("/admin/sources", { url: `${alice.origin}/@alice`, folder: "", title: "" });
  assert.equal(again.status, 409);
  // The peer answers /@nobody with 404: not an account, and no feed either.
  const page = await owner.form("/admin/sources", { url: `${alice.origin}/@nobody`, folder: "", title: "" });
  assert.equal(page.status, 422);
  assert.match(await page.text(), /Could not fetch http:\/\/127\.0\.0\.2:\d+\/@nobody: The server answered HTTP 404/);
});
