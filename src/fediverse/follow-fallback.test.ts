import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Create, Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import { type Browser, signIn } from "../auth/testing.ts";
import { followingStore } from "./relations-store.ts";
import { type Peer, type ServedSite, serveSite, startPeer } from "./testing.ts";

// Accounts that do not accept our follow are read anyway: from their RSS feed after a Reject,
// from their public outbox when no answer came for a day and they offer no feed.
let site: ServedSite;
let owner: Browser;
let rejecting: Peer;
let silent: Peer;

const rss = (origin: string) => `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Rita Peer</title><link>${origin}/@rita</link><description>Public posts from @rita</description>
<item><guid isPermaLink="true">${origin}/@rita/2</guid><link>${origin}/@rita/2</link><pubDate>Sun, 01 Mar 2026 10:00:00 GMT</pubDate><description>&lt;p&gt;Second, via @sam@example.social&lt;/p&gt;</description></item>
<item><guid isPermaLink="true">${origin}/@rita/1</guid><link>${origin}/@rita/1</link><pubDate>Sat, 28 Feb 2026 10:00:00 GMT</pubDate><description>&lt;p&gt;First&lt;/p&gt;</description></item>
</channel></rss>`;

before(async () => {
  site = await serveSite();
  owner = await signIn(site.ctx, site.app);
  rejecting = await startPeer("rita", "127.0.0.4", { follows: "reject", rss });
  silent = await startPeer("sid", "127.0.0.5", { follows: "ignore", outbox: true });
});
after(async () => {
  await silent.close();
  await rejecting.close();
  await site.close();
});

const follow = async (peer: Peer, name: string) => {
  const res = await owner.form("/admin/sources", {
    url: `@${name}@${new URL(peer.origin).host}`,
    folder: "",
    title: "",
  });
  assert.equal(res.status, 303);
  await site.ctx.runner.drain();
  await site.ctx.runner.drain();
  return Number(/id=(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
};
const pollNow = async (id: number) => {
  const res = await owner.form(`/admin/sources/${id}/retry`, {});
  assert.equal(res.status, 303);
  return (await owner.request(res.headers.get("location") ?? "")).text();
};
const itemsOf = (id: number) =>
  site.ctx.db.kysely.selectFrom("items").selectAll().where("source_id", "=", id).orderBy("url").execute();

test("after a Reject, the account's RSS feed is read instead", async () => {
  const id = await follow(rejecting, "rita");
  assert.ok(rejecting.received.some((r) => r.type === "Follow"));
  assert.equal((await followingStore(site.ctx.db).byActor(rejecting.actorUri))?.status, "rejected");
  const source = await site.ctx.db.kysely.selectFrom("sources").selectAll().where("id", "=", id).executeTakeFirst();
  assert.equal(source?.feed_url, `${rejecting.origin}/@rita.rss`);
  assert.match(await pollNow(id), /Polled “@rita@127\.0\.0\.4:\d+”: 2 new items found\./);
  const items = await itemsOf(id);
  assert.deepEqual(
    items.map((i) => i.url),
    [`${rejecting.origin}/@rita/1`, `${rejecting.origin}/@rita/2`],
  );
});

test("with no answer for a day and no feed, the account's public outbox is read", async () => {
  await silent.post(
    (me) =>
      new Create({
        id: new URL(`${me.href}/statuses/1/activity`),
        actor: me,
        to: PUBLIC_COLLECTION,
        object: new Note({
          id: new URL(`${me.href}/statuses/1`),
          attribution: me,
          content: "<p>Quiet, but public</p>",
          url: new URL(`${me.origin}/@sid/1`),
          to: PUBLIC_COLLECTION,
        }),
      }),
  );
  const id = await follow(silent, "sid");
  assert.ok(silent.received.some((r) => r.type === "Follow"));
  assert.equal((await followingStore(site.ctx.db).byActor(silent.actorUri))?.status, "pending");
  // While the Follow may still be answered, nothing is fetched.
  assert.match(await pollNow(id), /Polled “@sid@127\.0\.0\.5:\d+”: no new items\./);
  assert.equal((await itemsOf(id)).length, 0);
  site.ctx.setNow(new Date(Date.now() + 25 * 3600_000));
  assert.match(await pollNow(id), /Polled “@sid@127\.0\.0\.5:\d+”: 1 new item found\./);
  const [item] = await itemsOf(id);
  assert.equal(item.url, `${silent.origin}/@sid/1`);
  assert.equal(item.title, "Quiet, but public");
});
