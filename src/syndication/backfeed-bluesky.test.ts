// test lanes: sqlite only
// (The atproto network runs the same either way; the copies' SQL runs on PostgreSQL in editor.test.ts and backfeed.test.ts.)
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AtpAgent } from "@atproto/api";
import { TestNetwork } from "@atproto/dev-env";
import pg from "pg";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { addBluesky } from "./accounts.ts";
import { syndicate } from "./syndicate.ts";
import { registerSyndicationJobs } from "./targets.ts";

// A real atproto network with an AppView (@atproto/dev-env TestNetwork: PDS, PLC and the AppView
// on PostgreSQL and Redis, which these machines run), in schemas of this process's own.
const PG = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
// Its schemas take letters and underscores only: the process id spelled in letters.
const schema = `liner_${String(process.pid).replace(/\d/g, (d) => "abcdefghij"[Number(d)])}`;
let network: TestNetwork;
let ctx: TestContext;
let bob: AtpAgent;

before(async () => {
  process.env.REDIS_HOST ??= "127.0.0.1:6379";
  network = await TestNetwork.create({ dbPostgresUrl: PG, dbPostgresSchema: schema } as never);
  const alice = new AtpAgent({ service: network.pds.url });
  await alice.createAccount({ handle: "alice.test", email: "alice@test.example", password: "alice-pass" });
  bob = new AtpAgent({ service: network.pds.url });
  await bob.createAccount({ handle: "bob.test", email: "bob@test.example", password: "bob-pass" });
  await bob.upsertProfile(() => ({ displayName: "Bob B" }));
  ctx = await createTestContext({ baseUrl: "https://site.example" });
  const theme = await saveTheme(ctx, { name: "Craft", slug: "craft" });
  await savePost(ctx, systemActor, {
    kind: "note",
    title: "Hello",
    slug: "hello",
    body: "Hi there.",
    themeIds: [theme.id],
    status: "published",
  });
  await addBluesky(ctx, { handle: "alice.test", pds: network.pds.url, password: "alice-pass" });
  await registerSyndicationJobs(ctx);
});
after(async () => {
  await ctx?.cleanup();
  await network?.close();
  const client = new pg.Client({ connectionString: PG });
  await client.connect();
  try {
    for (const prefix of ["appview", "bsync", "ozone"])
      await client.query(`DROP SCHEMA IF EXISTS "${prefix}_${schema}" CASCADE`);
  } finally {
    await client.end();
  }
});

test("a reply, a like and a repost of the Bluesky copy come home through the AppView's notifications", async () => {
  const [sent] = await syndicate(ctx, "hello", ["bluesky"]);
  assert.ok(sent.url, sent.error);
  const copy = await ctx.db.kysely.selectFrom("synd_copies").selectAll().executeTakeFirstOrThrow();
  const uri = copy.remote_id as string;
  const record = await bob.com.atproto.repo.getRecord({
    repo: uri.split("/")[2],
    collection: "app.bsky.feed.post",
    rkey: uri.split("/").at(-1) as string,
  });
  const ref = { uri, cid: record.data.cid as string };
  await bob.post({ text: "Well said, Alice.", reply: { root: ref, parent: ref } });
  await bob.like(ref.uri, ref.cid);
  await bob.repost(ref.uri, ref.cid);
  await network.processAll();
  await ctx.runner.drain();
  const items = await ctx.db.kysely.selectFrom("conversation_items").selectAll().orderBy("id").execute();
  assert.deepEqual(items.map((i) => [i.via, i.kind, i.author_name, i.status]).sort(), [
    ["bluesky", "like", "Bob B", "approved"],
    ["bluesky", "reply", "Bob B", "pending"],
    ["bluesky", "repost", "Bob B", "approved"],
  ]);
  const reply = items.find((i) => i.kind === "reply");
  assert.equal(reply?.html, "<p>Well said, Alice.</p>");
  assert.match(reply?.source_url ?? "", /^https:\/\/bsky\.app\/profile\/bob\.test\/post\/\w+$/);
  // The next poll finds nothing new: nothing twice, and the interval grows.
  const a = await ctx.db.kysely.selectFrom("synd_accounts").selectAll().executeTakeFirstOrThrow();
  ctx.setNow(new Date(Date.now() + a.poll_interval_s * 1000 + 1000));
  await ctx.runner.drain();
  assert.equal((await ctx.db.kysely.selectFrom("conversation_items").selectAll().execute()).length, 3);
  const after = await ctx.db.kysely.selectFrom("synd_accounts").selectAll().executeTakeFirstOrThrow();
  assert.equal(after.poll_interval_s, 600);
});
