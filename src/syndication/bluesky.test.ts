// test lanes: sqlite only
// (The atproto network runs the same either way; the copies' SQL runs on PostgreSQL in editor.test.ts and backfeed.test.ts.)
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AtpAgent } from "@atproto/api";
import { TestNetworkNoAppView } from "@atproto/dev-env";
import { type CliEnv, cliEnv, runCli } from "../cli/testing.ts";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import { closeContext } from "../lib/context.ts";

// A real atproto PDS (and PLC) on loopback from @atproto/dev-env; `liner` driven through its CLI.
let network: TestNetworkNoAppView;
let alice: AtpAgent;
let appPassword = "";
let cli: CliEnv;
let env: NodeJS.ProcessEnv;
const SITE = "https://site.example";

before(async () => {
  network = await TestNetworkNoAppView.create({});
  alice = new AtpAgent({ service: network.pds.url });
  await alice.createAccount({ handle: "alice.test", email: "alice@test.example", password: "main-password" });
  appPassword = (await alice.com.atproto.server.createAppPassword({ name: "liner" })).data.password;
  cli = await cliEnv();
  env = { ...cli.env, LINER_ALLOW_PRIVATE_FETCH: "1", LINER_BASE_URL: SITE };
  const ctx = await cli.open();
  try {
    const theme = await saveTheme(ctx, { name: "Social web", slug: "social-web" });
    await savePost(ctx, systemActor, {
      themeIds: [theme.id],
      kind: "article",
      title: "Owning your words",
      slug: "owning",
      summary: "Why the copy on your own site is the one that counts, and the others point home.",
      body: "Write on your own site first. #POSSE",
      status: "published",
    });
    await savePost(ctx, systemActor, {
      kind: "note",
      title: "Draft",
      slug: "draft",
      body: "Not yet.",
      status: "draft",
    });
  } finally {
    await closeContext(ctx);
  }
});
after(async () => {
  await cli?.cleanup();
  await network?.close();
});

const posts = async () =>
  (await alice.com.atproto.repo.listRecords({ repo: alice.session?.did ?? "", collection: "app.bsky.feed.post" })).data
    .records;
const add = (password: string, handle = "alice.test") =>
  runCli(["accounts", "add", "bluesky", "--handle", handle, "--pds", network.pds.url, "--app-password-stdin"], {
    env,
    input: `${password}\n`,
  });

test("accounts add bluesky signs in first: a wrong password is refused and nothing is stored", async () => {
  const wrong = await add("not-the-password");
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.stderr, /Bluesky refused the sign-in of alice\.test/);
  const none = await runCli(["accounts", "list"], { env });
  assert.match(none.stdout, /No accounts are connected/);

  const ok = await add(appPassword);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /Connected bluesky account 1: alice\.test on http:\/\/localhost:\d+ \(app password ••••/);
  const list = await runCli(["accounts", "list", "--json"], { env });
  const [row] = list.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.equal(row.handle, "alice.test");
  assert.equal(row.status, "ok");
  assert.equal(row.credential, `••••${appPassword.slice(-4)}`);
  assert.doesNotMatch(list.stdout, new RegExp(appPassword), "the credential is never printed");
  const ctx = await cli.open();
  try {
    const stored = await ctx.db.kysely.selectFrom("synd_accounts").select("secret_sealed").executeTakeFirstOrThrow();
    assert.doesNotMatch(stored.secret_sealed, new RegExp(appPassword), "stored sealed, not as typed");
  } finally {
    await closeContext(ctx);
  }
  const again = await add(appPassword);
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /connected already \(account 1\)/);
});

test("syndicate --dry-run prints the text and sends nothing; then the copy lands in the repo once", async () => {
  const dry = await runCli(["syndicate", "owning", "--to", "bluesky", "--dry-run"], { env });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /Owning your words\n\nWhy the copy/);
  assert.match(dry.stdout, new RegExp(`${SITE}/posts/owning`));
  assert.equal((await posts()).length, 0, "nothing sent");

  const sent = await runCli(["syndicate", "owning", "--to", "bluesky"], { env });
  assert.equal(sent.code, 0, sent.stderr);
  assert.match(sent.stdout, /^bluesky: https:\/\/bsky\.app\/profile\/alice\.test\/post\/\w+$/m);
  const [record] = await posts();
  const value = record.value as Record<string, any>;
  assert.match(value.text, /^Owning your words\n\nWhy the copy/);
  const link = value.facets?.find((f: any) => f.features[0].$type === "app.bsky.richtext.facet#link");
  assert.equal(link?.features[0].uri, `${SITE}/posts/owning`, "the link is a facet");
  const bytes = new TextEncoder().encode(value.text);
  assert.equal(
    new TextDecoder().decode(bytes.slice(link.index.byteStart, link.index.byteEnd)),
    `${SITE}/posts/owning`,
    "at the link's bytes",
  );
  assert.deepEqual(
    { uri: value.embed.external.uri, title: value.embed.external.title },
    { uri: `${SITE}/posts/owning`, title: "Owning your words" },
    "a link card",
  );
  assert.ok(sent.stdout.includes(record.uri.split("/").at(-1) ?? "none"), "the printed URL names the record");

  const twice = await runCli(["syndicate", "owning", "--to", "bluesky"], { env });
  assert.match(twice.stdout, /\(sent before\)/);
  // A crash after the post went out, before the copy was marked sent: sending again finds the record.
  const ctx = await cli.open();
  try {
    await ctx.db.kysely.updateTable("synd_copies").set({ status: "failed" }).execute();
  } finally {
    await closeContext(ctx);
  }
  const retried = await runCli(["syndicate", "owning", "--to", "bluesky"], { env });
  assert.equal(retried.code, 0, retried.stderr);
  assert.equal((await posts()).length, 1, "never posted twice");
});

test("bad input: an unpublished post, an unknown platform, a platform without an account", async () => {
  const draft = await runCli(["syndicate", "draft", "--to", "bluesky"], { env });
  assert.notEqual(draft.code, 0);
  assert.match(draft.stderr, /“draft” is not published/);
  const unknown = await runCli(["syndicate", "owning", "--to", "myspace"], { env });
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /--to takes bluesky, mastodon, linkedin \(got “myspace”\)/);
  const none = await runCli(["syndicate", "owning", "--to", "linkedin"], { env });
  assert.notEqual(none.code, 0);
  assert.match(none.stderr, /No linkedin account is connected/);
});

test("accounts check says when the app password was revoked; accounts remove forgets the account", async () => {
  const ok = await runCli(["accounts", "check"], { env });
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /1 {2}bluesky {2}alice\.test: ok/);
  await alice.com.atproto.server.revokeAppPassword({ name: "liner" });
  const revoked = await runCli(["accounts", "check", "1"], { env });
  assert.equal(revoked.code, 1);
  assert.match(revoked.stdout, /alice\.test: Bluesky refused the sign-in/);
  const list = await runCli(["accounts", "list", "--json"], { env });
  assert.equal(JSON.parse(list.stdout).status, "error");
  const removed = await runCli(["accounts", "remove", "1"], { env });
  assert.equal(removed.code, 0);
  assert.match((await runCli(["accounts", "list"], { env })).stdout, /No accounts are connected/);
  const missing = await runCli(["accounts", "remove", "1"], { env });
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /There is no connected account 1/);
});
