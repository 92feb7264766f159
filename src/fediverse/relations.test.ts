import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Block, Flag, Follow, Move } from "@fedify/vocab";
import { signIn } from "../auth/testing.ts";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import { pinEditorPart } from "./editor-part.ts";
import { followerStore } from "./relations-store.ts";
import { accountStore } from "./store.ts";
import { type Peer, type ServedSite, serveSite, startPeer, until } from "./testing.ts";

// Followers as the owner manages them: approval, blocks both ways, moves, reports, pins.
let site: ServedSite;
let alice: Peer;
let owner: Awaited<ReturnType<typeof signIn>>;
let movedTo = "";
const inbox = () => `${site.origin}/ap/inbox`;
const follow = (p: Peer, n = 1) =>
  p.send(
    (me) => new Follow({ id: new URL(`${me.href}#follows/${n}`), actor: me, object: new URL(site.actorUri) }),
    inbox(),
    site.actorUri,
  );
const wait = until;

before(async () => {
  site = await serveSite();
  alice = await startPeer("alice", "127.0.0.4");
  owner = await signIn(site.ctx, site.app);
});
after(async () => {
  await alice.close();
  await site.close();
});

test("with approval on, a follow waits; the owner approves it and the Accept goes out", async () => {
  const bad = await owner.form("/admin/fediverse/settings", {
    handle: "not a handle!",
    approveFollowers: "1",
    alsoKnownAs: "",
  });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /value="not a handle!"/, "what was typed is kept");
  const ok = await owner.form("/admin/fediverse/settings", {
    handle: "writer",
    approveFollowers: "1",
    alsoKnownAs: "",
  });
  assert.equal(ok.status, 303);
  assert.equal((await accountStore(site.ctx.db).settings()).handle, "writer");
  const wf = await fetch(`${site.origin}/.well-known/webfinger?resource=acct:writer@${new URL(site.origin).host}`);
  assert.equal(wf.status, 200, "the new handle is found");

  await follow(alice);
  await site.ctx.runner.drain();
  const f = await followerStore(site.ctx.db).byActor(alice.actorUri);
  assert.equal(f?.status, "pending");
  assert.equal(alice.received.filter((r) => r.type === "Accept").length, 0);
  const page = await (await owner.request("/admin/fediverse")).text();
  assert.match(page, /Follow requests \(1\)/);
  assert.equal((await owner.form(`/admin/fediverse/followers/${f?.id}/approve`, {})).status, 303);
  await site.ctx.runner.drain();
  await wait(() => alice.received.some((r) => r.type === "Accept"), "the Accept arrived");
  assert.equal(await followerStore(site.ctx.db).count(), 1);
});

test("a follower that moves is followed at its new account, if that account names the old one", async () => {
  const alice2 = await startPeer("alice2", "127.0.0.5", { aliases: () => [alice.actorUri] });
  movedTo = alice2.actorUri;
  try {
    await alice.send(
      (me) => new Move({ id: new URL(`${me.href}#move/1`), actor: me, object: me, target: new URL(alice2.actorUri) }),
      inbox(),
      site.actorUri,
    );
    await site.ctx.runner.drain();
    assert.equal(await followerStore(site.ctx.db).byActor(alice.actorUri), undefined);
    assert.equal((await followerStore(site.ctx.db).byActor(alice2.actorUri))?.status, "accepted");
  } finally {
    await alice2.close();
  }
});

test("a report reaches the owner by email; a remote block ends delivery to that account", async () => {
  const theme = await saveTheme(site.ctx, { name: "Craft", slug: "craft" });
  const post = await savePost(site.ctx, systemActor, {
    kind: "note",
    title: "N",
    slug: "n",
    body: "Hi.",
    themeIds: [theme.id],
    status: "published",
  });
  const bob = await startPeer("bob", "127.0.0.6");
  try {
    await follow(bob, 2);
    await site.ctx.runner.drain();
    await bob.send(
      (me) =>
        new Flag({
          id: new URL(`${me.href}#flag/1`),
          actor: me,
          objects: [new URL(`${site.origin}/ap/posts/${post.id}`)],
          content: "spam?",
        }),
      inbox(),
      site.actorUri,
    );
    await site.ctx.runner.drain();
    const mail = await site.ctx.db.kysely.selectFrom("outbox").select("subject").execute();
    assert.ok(
      mail.some((m) => /A report about .* from 127\.0\.0\.6/.test(m.subject ?? "")),
      "the owner is told",
    );
    await bob.send(
      (me) => new Block({ id: new URL(`${me.href}#block/1`), actor: me, object: new URL(site.actorUri) }),
      inbox(),
      site.actorUri,
    );
    await site.ctx.runner.drain();
    const row = await followerStore(site.ctx.db).byActor(bob.actorUri);
    assert.equal(row?.removed_reason, "blocked-us");
  } finally {
    await bob.close();
  }
});

test("the owner blocks a server from the admin: its followers go and its activities are refused", async () => {
  const res = await owner.form("/admin/fediverse/blocks", { value: "127.0.0.5" });
  assert.equal(res.status, 303);
  const moved = await followerStore(site.ctx.db).byActor(movedTo);
  assert.equal(moved?.removed_reason, "blocked");
  assert.equal(await followerStore(site.ctx.db).count(), 0);
  const bad = await owner.form("/admin/fediverse/blocks", { value: "not an account" });
  assert.equal(bad.status, 400);
  const page = await bad.text();
  assert.match(
    page,
    /id="f-value"[^>]*value="not an account"|value="not an account"[^>]*id="f-value"/,
    "what was typed is kept",
  );
  assert.match(page, /aria-invalid="true"/, "the field is marked");
  assert.match(page, /neither an account \(@user@host\) nor a server/);
  const again = await owner.form("/admin/fediverse/blocks", { value: "127.0.0.5" });
  assert.equal(again.headers.get("location"), "/admin/fediverse?msg=already-blocked");
});

test("a pinned post is in the featured collection", async () => {
  const theme = await saveTheme(site.ctx, { name: "Pins", slug: "pins" });
  const post = await savePost(site.ctx, systemActor, {
    kind: "article",
    title: "Pinned",
    slug: "pinned",
    body: "Hi.",
    themeIds: [theme.id],
    status: "published",
  });
  await pinEditorPart.save(site.ctx, post.id, true);
  const res = await fetch(`${site.origin}/ap/actor/owner/featured`, {
    headers: { accept: "application/activity+json" },
  });
  const json = (await res.json()) as { orderedItems?: { name?: string }[] | { name?: string } };
  assert.deepEqual(
    [json.orderedItems].flat().map((i) => i?.name),
    ["Pinned"],
  );
});

test("the owner moves the account away: followers are told, and the actor names its successor", async () => {
  const dave = await startPeer("dave", "127.0.0.7");
  const erin = await startPeer("erin", "127.0.0.8", { aliases: () => [site.actorUri] });
  try {
    await owner.form("/admin/fediverse/settings", { handle: "writer", alsoKnownAs: "" }); // approval off
    await follow(dave, 3);
    await site.ctx.runner.drain();
    assert.equal((await followerStore(site.ctx.db).byActor(dave.actorUri))?.status, "accepted");
    // A profile change reaches followers as Update(Person).
    await owner.form("/admin/fediverse/settings", { handle: "writer2", alsoKnownAs: "" });
    await site.ctx.runner.drain();
    await wait(
      () =>
        dave.received.some(
          (r) => r.type === "Update" && (r.json.object as Record<string, unknown>)?.preferredUsername === "writer2",
        ),
      "the profile update arrived",
    );
    // Moving in: the owner names another account as theirs; the actor says so (alsoKnownAs).
    const aka = await owner.form("/admin/fediverse/settings", {
      handle: "writer2",
      alsoKnownAs: `@dave@${new URL(dave.origin).host}`,
    });
    assert.equal(aka.status, 303);
    const me = (await (
      await fetch(site.actorUri, { headers: { accept: "application/activity+json" } })
    ).json()) as Record<string, unknown>;
    assert.deepEqual([me.alsoKnownAs].flat(), [dave.actorUri]);
    const self = await owner.form("/admin/fediverse/settings", { handle: "writer2", alsoKnownAs: site.actorUri });
    assert.equal(self.status, 400);
    assert.match(await self.text(), /That is this account/);
    const unconfirmed = await owner.form("/admin/fediverse/move", { target: dave.actorUri });
    assert.equal(unconfirmed.status, 400, "a move must be confirmed");
    assert.match(await unconfirmed.text(), new RegExp(`value="${dave.actorUri}"`), "what was typed is kept");
    const refused = await owner.form("/admin/fediverse/move", { target: dave.actorUri, confirm: "1" });
    assert.equal(refused.status, 400, "an account that does not name us as an alias is refused");
    assert.match(await refused.text(), /aliases/);
    const res = await owner.form("/admin/fediverse/move", {
      target: `@erin@${new URL(erin.origin).host}`,
      confirm: "1",
    });
    assert.equal(res.status, 303);
    await site.ctx.runner.drain();
    await wait(() => dave.received.some((r) => r.type === "Move"), "the follower was told");
    const actor = (await (
      await fetch(site.actorUri, { headers: { accept: "application/activity+json" } })
    ).json()) as Record<string, unknown>;
    assert.equal(actor.movedTo, erin.actorUri);
  } finally {
    await dave.close();
    await erin.close();
  }
});
