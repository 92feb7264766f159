import assert from "node:assert/strict";
import { test } from "node:test";
import { claimsAccount } from "./source-kind.ts";
import { parseHandle } from "./webfinger.ts";

test("a handle is always the fediverse's; a profile-shaped URL is worth asking; anything else is a feed's", () => {
  for (const s of [
    "@alice@mastodon.social",
    "alice@mastodon.social",
    "acct:alice@mastodon.social",
    " @alice ",
    "@a@b:8080",
  ])
    assert.equal(claimsAccount(s), "yes", s);
  for (const s of [
    "https://mastodon.social/@alice",
    "https://pleroma.example/users/alice",
    "https://misskey.example/@alice/",
    "http://127.0.0.1:3000/ap/actor/owner",
  ])
    assert.equal(claimsAccount(s), "maybe", s);
  for (const s of [
    "example.com",
    "https://example.com/feed.xml",
    "https://mastodon.social/@alice/1234",
    "ftp://x/@a",
    "",
  ])
    assert.equal(claimsAccount(s), "no", s);
});

test("handles are parsed into user and host, and a malformed one says how to write it", () => {
  assert.deepEqual(parseHandle("@Alice@Mastodon.Social"), { user: "Alice", host: "mastodon.social" });
  assert.deepEqual(parseHandle("acct:bob@127.0.0.2:8080"), { user: "bob", host: "127.0.0.2:8080" });
  for (const bad of ["@alice", "@alice@", "@@x", "@al ice@host.example", "@alice@host/path", "@alice@-bad-.example"])
    assert.throws(() => parseHandle(bad), /is not a fediverse account's address: write it as @user@host/, bad);
});
