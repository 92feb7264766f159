// test lanes: sqlite only
// (The atproto network runs the same either way; the copies' SQL runs on PostgreSQL in revise.test.ts.)
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AtpAgent } from "@atproto/api";
import { TestNetworkNoAppView } from "@atproto/dev-env";
import sharp from "sharp";
import { savePost, saveTheme, saveUpload, systemActor } from "../content/testing.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { addBluesky } from "./accounts.ts";
import { deleteCopy } from "./revise.ts";
import { syndicate } from "./syndicate.ts";
import { registerSyndicationJobs, saveTargets } from "./targets.ts";

// A note's picture with its alt text, a long note as a thread (only when asked), an image too
// large, and deleting a copy, against a real PDS from @atproto/dev-env.
let network: TestNetworkNoAppView;
let ctx: TestContext;
let alice: AtpAgent;
let themeId = 0;
let accountId = 0;

before(async () => {
  network = await TestNetworkNoAppView.create({});
  alice = new AtpAgent({ service: network.pds.url });
  await alice.createAccount({ handle: "alice.test", email: "alice@test.example", password: "alice-pass" });
  ctx = await createTestContext({ baseUrl: "https://site.example" });
  themeId = (await saveTheme(ctx, { name: "Craft", slug: "craft" })).id;
  accountId = (await addBluesky(ctx, { handle: "alice.test", pds: network.pds.url, password: "alice-pass" })).id;
  await registerSyndicationJobs(ctx);
});
after(async () => {
  await ctx?.cleanup();
  await network?.close();
});

const records = async () =>
  (
    await alice.com.atproto.repo.listRecords({ repo: alice.session?.did ?? "", collection: "app.bsky.feed.post" })
  ).data.records.map((r) => ({ uri: r.uri, value: r.value as Record<string, any> }));

/** Publish a note and send it to Bluesky the editor's way; the copy's row after the send job ran. */
async function sendNote(slug: string, body: string, opts: { asThread?: boolean; coverMediaId?: number } = {}) {
  const post = await savePost(ctx, systemActor, {
    kind: "note",
    title: slug,
    slug,
    body,
    themeIds: [themeId],
    status: "published",
    coverMediaId: opts.coverMediaId,
  });
  await saveTargets(ctx, post.id, [
    { accountId, on: true, text: "", sendAt: null, contentWarning: null, asThread: !!opts.asThread },
  ]);
  await ctx.runner.drain();
  return ctx.db.kysely.selectFrom("synd_copies").selectAll().where("post_id", "=", post.id).executeTakeFirstOrThrow();
}

test("a note's picture goes as an image with its alt text, its blob in the repo", async () => {
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#c63" } })
    .png()
    .toBuffer();
  const media = await saveUpload(ctx, new File([png], "desk.png", { type: "image/png" }), null, {
    alt: "A desk with two notebooks",
  });
  const copy = await sendNote("desk", "My desk this morning.", { coverMediaId: media.id });
  assert.equal(copy.status, "sent", copy.last_error ?? "");
  const [rec] = (await records()).filter((r) => r.uri === copy.remote_id);
  assert.equal(rec.value.embed.$type, "app.bsky.embed.images");
  assert.equal(rec.value.embed.images[0].alt, "A desk with two notebooks");
  const cid = rec.value.embed.images[0].image.ref.toString();
  const blob = await alice.com.atproto.sync.getBlob({ did: alice.session?.did ?? "", cid });
  assert.ok(blob.data.length > 0, "the blob is stored");
});

test("an image over Bluesky's 1,000,000 bytes is refused with the sizes, and nothing goes", async () => {
  const big = await sharp({
    create: {
      width: 1000,
      height: 1000,
      channels: 3,
      background: "#888",
      noise: { type: "gaussian", mean: 128, sigma: 60 },
    },
  })
    .png()
    .toBuffer();
  const media = await saveUpload(ctx, new File([big], "noise.png", { type: "image/png" }), null, { alt: "Noise" });
  const before = (await records()).length;
  const copy = await sendNote("noise", "Static.", { coverMediaId: media.id });
  assert.equal(copy.status, "failed");
  assert.match(copy.last_error ?? "", /^The image is [\d,]+ bytes; Bluesky takes at most 1,000,000\.$/);
  assert.equal((await records()).length, before);
});

test("a long note goes as a thread only when asked; deleting the copy deletes every post of it", async () => {
  const long = Array.from({ length: 12 }, (_, i) => `Sentence ${i + 1} says something worth a minute.`).join(" ");
  const clipped = await sendNote("long-clipped", long);
  const one = (await records()).find((r) => r.uri === clipped.remote_id);
  assert.match(one?.value.text ?? "", /…\n\nhttps:\/\/site\.example\/posts\/long-clipped$/, "clipped, not a thread");

  const copy = await sendNote("long-thread", long, { asThread: true });
  assert.equal(copy.status, "sent", copy.last_error ?? "");
  const more = (copy.remote_more ?? "").split(" ").filter(Boolean);
  assert.equal(more.length, 2, "three posts");
  const all = await records();
  const thread = [copy.remote_id, ...more].map((uri) => all.find((r) => r.uri === uri));
  assert.ok(thread.every(Boolean));
  assert.match(thread[0]?.value.text, /^Sentence 1 says.* \(1\/3\)$/s);
  assert.match(thread[2]?.value.text, /https:\/\/site\.example\/posts\/long-thread \(3\/3\)$/);
  assert.equal(thread[1]?.value.reply.root.uri, copy.remote_id);
  assert.equal(thread[2]?.value.reply.parent.uri, more[0]);
  assert.equal(thread[0]?.value.embed.$type, "app.bsky.embed.external", "the card on the first");
  const joined = thread.map((t) => t?.value.text.replace(/ \(\d\/3\)$/, "")).join(" ");
  assert.ok(joined.includes(long), "nothing lost between the parts");

  assert.equal(await deleteCopy(ctx, copy.id), undefined);
  const left = (await records()).map((r) => r.uri);
  for (const uri of [copy.remote_id, ...more]) assert.ok(!left.includes(uri as string), `${uri} deleted`);
  const row = await ctx.db.kysely.selectFrom("synd_copies").selectAll().where("id", "=", copy.id).executeTakeFirst();
  assert.equal(row?.status, "deleted");

  // Asked for again (liner syndicate): a new copy goes, as a thread still.
  ctx.setNow(new Date(Date.now() + 60_000));
  const [again] = await syndicate(ctx, "long-thread", ["bluesky"]);
  assert.ok(again.url && !again.already, again.error);
  const fresh = await ctx.db.kysely.selectFrom("synd_copies").selectAll().where("id", "=", copy.id).executeTakeFirst();
  assert.equal(fresh?.status, "sent");
  assert.notEqual(fresh?.remote_id, copy.remote_id);
  assert.equal((fresh?.remote_more ?? "").split(" ").length, 2);
});
