import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type CliEnv, cliEnv, runCli } from "../cli/testing.ts";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import { closeContext } from "../lib/context.ts";
import { itemStore } from "./store.ts";

let e: CliEnv;
const ids: number[] = [];
before(async () => {
  e = await cliEnv();
  const ctx = await e.open();
  try {
    const theme = await saveTheme(ctx, { name: "Craft", slug: "craft" });
    const post = await savePost(ctx, systemActor, {
      kind: "article",
      title: "Hello",
      slug: "hello",
      body: "Hi.",
      themeIds: [theme.id],
      status: "published",
    });
    const at = "2026-03-01T10:00:00.000Z";
    const base = {
      post_id: post.id,
      parent_id: null,
      via: "site" as const,
      author_key: "email:a@example.org",
      confirmed_at: null,
      published_at: at,
      updated_at: at,
    };
    for (const [i, status] of (["pending", "approved", "pending"] as const).entries()) {
      const row = await itemStore(ctx.db).insert({
        ...base,
        kind: "comment",
        status,
        author_name: `Person ${i}`,
        author_url: `https://p${i}.example/`,
        text: `Comment number ${i}`,
        received_at: `2026-03-01T10:0${i}:00.000Z`,
      });
      ids.push(row.id);
    }
  } finally {
    await closeContext(ctx);
  }
});
after(() => e.cleanup());

test("conversations list --json prints one object per item with the named fields; --pending only the held", async () => {
  const r = await runCli(["conversations", "list", "--json"], { env: e.env });
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.equal(rows.length, 3);
  assert.deepEqual(Object.keys(rows[0]).slice(0, 8), [
    "id",
    "kind",
    "via",
    "author",
    "post",
    "text",
    "status",
    "received_at",
  ]);
  assert.deepEqual(rows[0], {
    ...rows[0],
    id: ids[2],
    kind: "comment",
    via: "site",
    author: { name: "Person 2", url: "https://p2.example/" },
    post: "hello",
    status: "pending",
  });
  const pending = await runCli(["conversations", "list", "--pending", "--json"], { env: e.env });
  assert.deepEqual(
    pending.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).id)
      .sort(),
    [ids[0], ids[2]].sort(),
  );
  const plain = await runCli(["conversations", "list"], { env: e.env });
  assert.match(plain.stdout, /Person 1\thello/);
});

test("conversations approve, spam and delete change the items; a bad ID is a usage error", async () => {
  const ok = await runCli(["conversations", "approve", String(ids[0])], { env: e.env });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /1 item approved/);
  const spam = await runCli(["conversations", "spam", String(ids[2])], { env: e.env });
  assert.match(spam.stdout, /1 item marked as spam/);
  const pending = await runCli(["conversations", "list", "--pending"], { env: e.env });
  assert.match(pending.stdout, /Nothing is waiting/);
  const del = await runCli(["conversations", "delete", String(ids[1]), "99999"], { env: e.env });
  assert.equal(del.code, 1);
  assert.match(del.stdout, /1 item deleted/);
  assert.match(del.stderr, /No such item: 99999/);
  const bad = await runCli(["conversations", "approve", "abc"], { env: e.env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /ID must be a positive whole number/);
  const list = await runCli(["conversations", "list", "--json"], { env: e.env });
  assert.deepEqual(
    list.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).status)
      .sort(),
    ["approved", "spam"],
  );
});
