import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type CliEnv, cliEnv, runCli } from "../cli/testing.ts";
import type { AppContext } from "../lib/context.ts";
import { followingStore } from "./relations-store.ts";
import { type Peer, type ServedSite, serveCliSite, startPeer, until } from "./testing.ts";

// `liner sources add @user@host` on a site's database while the site runs: the command stores the
// source and queues our Follow; the site's job runner delivers it.
let e: CliEnv;
let site: ServedSite<AppContext>;
let alice: Peer;
let handle = "";

before(async () => {
  e = await cliEnv();
  e.env.LINER_ALLOW_PRIVATE_FETCH = "1";
  site = await serveCliSite(e);
  alice = await startPeer("alice");
  handle = `@alice@127.0.0.2:${new URL(alice.origin).port}`;
});
after(async () => {
  await alice.close();
  await site.close();
  await e.cleanup();
});

test("liner sources add @user@host follows the account; the peer receives our Follow", async () => {
  const r = await runCli(["sources", "add", handle], { env: e.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    `Following “${handle}”\n  account: ${alice.actorUri}\n  profile: ${alice.origin}/@alice\n` +
      "  Its new posts arrive in the reader as they are published.\n",
  );
  await site.ctx.runner.drain();
  await until(() => alice.received.some((x) => x.type === "Follow"), "the Follow arrived");
  const follow = alice.received.find((x) => x.type === "Follow");
  assert.equal(follow?.activity.actorId?.href, site.actorUri);
  await site.ctx.runner.drain();
  assert.equal((await followingStore(site.ctx.db).byActor(alice.actorUri))?.status, "accepted");
  const again = await runCli(["sources", "add", handle], { env: e.env });
  assert.equal(again.code, 0);
  assert.match(again.stdout, new RegExp(`^You already follow “${handle}”`));
});

test("bad input exits 1 with a message naming what was wrong", async () => {
  const port = new URL(alice.origin).port;
  const cases: [string, RegExp][] = [
    ["@alice", /^liner: “@alice” is not a fediverse account's address: write it as @user@host/],
    ["@alice@", /^liner: “@alice@” is not a fediverse account's address/],
    [
      `@nobody@127.0.0.2:${port}`,
      /^liner: There is no account @nobody@127\.0\.0\.2:\d+: 127\.0\.0\.2:\d+ does not know it\.\n$/,
    ],
    ["@bob@127.0.0.1:1", /^liner: Could not reach 127\.0\.0\.1:1 to look up @bob@127\.0\.0\.1:1: .*connection refused/],
  ];
  for (const [input, message] of cases) {
    const r = await runCli(["sources", "add", input], { env: e.env });
    assert.equal(r.code, 1, input);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, "");
  }
});
