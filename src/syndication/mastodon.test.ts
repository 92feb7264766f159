// test lanes: sqlite only
// (The CLI against the fake servers; the copies' SQL runs on PostgreSQL in editor.test.ts and backfeed.test.ts.)
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { mf2 } from "microformats-parser";
import { createApp } from "../app.ts";
import { type CliEnv, cliEnv, runCli } from "../cli/testing.ts";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import { closeContext } from "../lib/context.ts";
import { type FakeMastodon, startFakeMastodon } from "./fake-mastodon.ts";

// Mastodon cannot run here: a fake written from its API documentation (fake-mastodon.ts).
let mastodon: FakeMastodon;
let cli: CliEnv;
let env: NodeJS.ProcessEnv;
const SITE = "https://site.example";

before(async () => {
  mastodon = await startFakeMastodon({ maxCharacters: 200 });
  cli = await cliEnv();
  env = { ...cli.env, LINER_ALLOW_PRIVATE_FETCH: "1", LINER_BASE_URL: SITE };
  const ctx = await cli.open();
  try {
    const theme = await saveTheme(ctx, { name: "Social web", slug: "social-web" });
    for (const slug of ["owning", "second"])
      await savePost(ctx, systemActor, {
        themeIds: [theme.id],
        kind: "article",
        title: slug === "owning" ? "Owning your words" : "A second post",
        slug,
        summary: "Why the copy on your own site is the one that counts.",
        body: "Write on your own site first.",
        status: "published",
      });
  } finally {
    await closeContext(ctx);
  }
});
after(async () => {
  await cli?.cleanup();
  await mastodon?.close();
});

const add = (token: string) =>
  runCli(["accounts", "add", "mastodon", "--instance", mastodon.url, "--token-stdin"], { env, input: token });

test("accounts add mastodon asks the instance whose the token is; a wrong token is refused, nothing stored", async () => {
  const wrong = await add("nope");
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.stderr, /refused the token \(The access token is invalid\)/);
  const ok = await add(mastodon.token);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(
    ok.stdout,
    new RegExp(`Connected mastodon account 1: @alice@127\\.0\\.0\\.1:\\d+ on ${mastodon.url} \\(token ••••6789\\)`),
  );
});

test("syndicate to Mastodon: the instance's limit, themes as hashtags, sent once (Idempotency-Key)", async () => {
  mastodon.failNext("down", "/api/v2/instance");
  const failing = await runCli(["syndicate", "owning", "--to", "mastodon", "--dry-run"], { env });
  assert.equal(failing.code, 1, "a text that could not be made is a failure, not an empty text");
  assert.match(failing.stdout, /mastodon: failed: .* is failing \(Service Unavailable\)/);
  const nowhere = await runCli(["syndicate", "owning", "--to", "mastodon"], { env: { ...env, LINER_BASE_URL: "" } });
  assert.equal(nowhere.code, 1);
  assert.match(nowhere.stderr, /set LINER_BASE_URL to the site's public address first/);
  const dry = await runCli(["syndicate", "owning", "--to", "mastodon", "--dry-run"], { env });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /#SocialWeb/);
  assert.equal(mastodon.statuses.length, 0);
  const sent = await runCli(["syndicate", "owning", "--to", "mastodon"], { env });
  assert.equal(sent.code, 0, sent.stderr);
  assert.match(sent.stdout, new RegExp(`^mastodon: ${mastodon.url}/@alice/1000$`, "m"));
  const [status] = mastodon.statuses;
  assert.equal(
    status.text,
    `Owning your words\n\nWhy the copy on your own site is the one that counts.\n\n${SITE}/posts/owning\n\n#SocialWeb`,
  );
  assert.ok(status.key, "sent with an Idempotency-Key");
  // Marked failed after the status went out (a crash): the resend gets the same status back.
  const ctx = await cli.open();
  try {
    await ctx.db.kysely.updateTable("synd_copies").set({ status: "failed" }).execute();
  } finally {
    await closeContext(ctx);
  }
  const again = await runCli(["syndicate", "owning", "--to", "mastodon"], { env });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(mastodon.statuses.length, 1, "never posted twice");

  // The post's page links to its copy, marked u-syndication inside its h-entry.
  const site = await cli.open();
  try {
    const app = await createApp(site);
    const html = await (await app.request("/posts/owning")).text();
    const entry = mf2(html, { baseUrl: SITE }).items.find((i) => i.type?.includes("h-entry"));
    assert.deepEqual(entry?.properties.syndication, [`${mastodon.url}/@alice/1000`]);
    assert.match(html, /Also on <a class="u-syndication" rel="syndication" href="[^"]+">Mastodon<\/a>/);
    const other = await (await app.request("/posts/second")).text();
    assert.doesNotMatch(other, /Also on/, "only posts with copies");
  } finally {
    await closeContext(site);
  }
});

test("a rate limit, the server down, a revoked token: said on the copy and by accounts check, nothing posted twice", async () => {
  mastodon.failNext("rate", "/api/v1/statuses");
  const limited = await runCli(["syndicate", "second", "--to", "mastodon"], { env });
  assert.equal(limited.code, 1);
  assert.match(limited.stdout, /mastodon: failed: .*rate limit \(Too many requests\)/);
  mastodon.failNext("down", "/api/v1/statuses");
  const down = await runCli(["syndicate", "second", "--to", "mastodon"], { env });
  assert.match(down.stdout, /is failing \(Service Unavailable\)/);
  const ok = await runCli(["syndicate", "second", "--to", "mastodon"], { env });
  assert.equal(ok.code, 0, ok.stdout);
  assert.equal(mastodon.statuses.length, 2);

  mastodon.failNext("revoked", "/api/v1/accounts");
  const check = await runCli(["accounts", "check"], { env });
  assert.equal(check.code, 1);
  assert.match(check.stdout, /refused the token \(The access token is invalid\)/);
  const list = JSON.parse((await runCli(["accounts", "list", "--json"], { env })).stdout);
  assert.equal(list.status, "error");
  assert.match(list.last_error, /access token is invalid/);
});
