// test lanes: sqlite only
// (The CLI against the fake servers; the copies' SQL runs on PostgreSQL in editor.test.ts and backfeed.test.ts.)
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type CliEnv, cliEnv, runCli } from "../cli/testing.ts";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import { closeContext } from "../lib/context.ts";
import { type FakeLinkedIn, startFakeLinkedIn } from "./fake-linkedin.ts";
import { littleText } from "./linkedin.ts";

// LinkedIn cannot run here: a fake written from its API documentation (fake-linkedin.ts).
let linkedin: FakeLinkedIn;
let cli: CliEnv;
let env: NodeJS.ProcessEnv;
const SITE = "https://site.example";

before(async () => {
  linkedin = await startFakeLinkedIn();
  cli = await cliEnv();
  env = { ...cli.env, LINER_ALLOW_PRIVATE_FETCH: "1", LINER_BASE_URL: SITE, LINER_LINKEDIN_API: linkedin.url };
  const ctx = await cli.open();
  try {
    const theme = await saveTheme(ctx, { name: "Leadership", slug: "leadership" });
    await savePost(ctx, systemActor, {
      themeIds: [theme.id],
      kind: "article",
      title: "Owning your words (and #tags)",
      slug: "owning",
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
  await linkedin?.close();
});

test("little text: LinkedIn's reserved characters are escaped", () => {
  assert.equal(
    littleText("Hi (you) #tag @me [x] a_b *c* ~d~ {e} <f> g|h \\"),
    "Hi \\(you\\) \\#tag \\@me \\[x\\] a\\_b \\*c\\* \\~d\\~ \\{e\\} \\<f\\> g\\|h \\\\",
  );
});

test("accounts add linkedin asks whose the token is; syndicate posts commentary with an article share", async () => {
  const wrong = await runCli(["accounts", "add", "linkedin", "--token-stdin"], { env, input: "nope" });
  assert.notEqual(wrong.code, 0);
  assert.match(
    wrong.stderr,
    /LinkedIn refused the token \(REVOKED_ACCESS_TOKEN: The token used in the request has been revoked by the user\)/,
  );
  const ok = await runCli(["accounts", "add", "linkedin", "--token-stdin"], { env, input: linkedin.token });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /Connected linkedin account 1: urn:li:person:abc123/);

  linkedin.failNext("rate");
  const limited = await runCli(["syndicate", "owning", "--to", "linkedin"], { env });
  assert.equal(limited.code, 1);
  assert.match(limited.stdout, /linkedin: failed: LinkedIn's rate limit \(Resource level throttle/);
  assert.equal(linkedin.posts.length, 0);

  const sent = await runCli(["syndicate", "owning", "--to", "linkedin"], { env });
  assert.equal(sent.code, 0, sent.stdout + sent.stderr);
  assert.match(sent.stdout, /^linkedin: https:\/\/www\.linkedin\.com\/feed\/update\/urn:li:share:7001\/$/m);
  const [post] = linkedin.posts;
  assert.equal(post.author, "urn:li:person:abc123");
  assert.equal(
    post.commentary,
    "Owning your words \\(and \\#tags\\)\n\nWhy the copy on your own site is the one that counts.",
  );
  assert.deepEqual(post.content.article, {
    source: `${SITE}/posts/owning`,
    title: "Owning your words (and #tags)",
    description: "Why the copy on your own site is the one that counts.",
  });
  const again = await runCli(["syndicate", "owning", "--to", "linkedin"], { env });
  assert.match(again.stdout, /\(sent before\)/);
  assert.equal(linkedin.posts.length, 1);

  linkedin.failNext("revoked");
  const check = await runCli(["accounts", "check"], { env });
  assert.equal(check.code, 1);
  assert.match(check.stdout, /REVOKED_ACCESS_TOKEN/);
});
