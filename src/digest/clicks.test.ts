/** Digest click counting across web processes: a client's repeat clicks count once an hour wherever they land. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { type AppContext, closeContext } from "../lib/context.ts";
import { anotherProcess, createTestContext, type TestContext } from "../lib/testing.ts";
import { clickUrl } from "./publish.ts";
import { digestStore } from "./store.ts";

let ctx: TestContext;
let other: AppContext;
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.setNow(new Date("2026-11-23T09:00:00Z"));
  other = await anotherProcess(ctx);
});
afterEach(async () => {
  await closeContext(other);
  await ctx.cleanup();
});

/** A sent digest with one entry; the path of its tracked link. */
async function sentEntry(): Promise<{ entryId: number; path: string }> {
  const store = digestStore(ctx.db);
  const ts = ctx.now().toISOString();
  const digest = await store.insertDigest({
    title: "Flash Report, week 47",
    status: "sent",
    period_start: "2026-11-16T00:00:00Z",
    period_end: ts,
    secret: "s3cret",
    post_id: null,
    send_id: null,
    send_at: null,
    created_at: ts,
    updated_at: ts,
    sent_at: ts,
  });
  const section = await store.insertSection({ digest_id: digest.id, title: "Leadership", kind: "manual", position: 0 });
  await store.insertEntries([
    { digest_id: digest.id, section_id: section.id, position: 0, url: "https://essays.example/meetings", title: "M" },
  ]);
  const entry = await ctx.db.kysely.selectFrom("digest_entries").select("id").executeTakeFirstOrThrow();
  return { entryId: entry.id, path: new URL(clickUrl(ctx, entry.id)).pathname };
}

test("the same client clicking through two processes counts once an hour; another client counts", async () => {
  const { entryId, path } = await sentEntry();
  const apps = [await createApp(ctx), await createApp(other)];
  const mail = { headers: { "user-agent": "MailReader/1.0" } };
  for (const app of [...apps, ...apps]) {
    const res = await app.request(path, mail);
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), "https://essays.example/meetings");
  }
  const clicks = async () => (await digestStore(ctx.db).entry(entryId))?.clicks;
  assert.equal(await clicks(), 1, "four clicks by one client on two processes count once");
  await apps[1].request(path, { headers: { "user-agent": "Browser/2.0" } });
  assert.equal(await clicks(), 2, "a different client counts");
  ctx.setNow(new Date("2026-11-23T10:00:00Z"));
  await apps[1].request(path, mail);
  await apps[0].request(path, mail);
  assert.equal(await clicks(), 3, "an hour later the first client counts once more");
});
