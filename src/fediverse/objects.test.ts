// test lanes: sqlite only
/**
 * Reading what other servers send: real-shaped posts and actors from Mastodon, Misskey, Akkoma,
 * GoToSocial and Threads (testdata/README.md says where each shape comes from), parsed by Fedify
 * with our loader on a fetcher that has no network, then mapped by readRemoteNote/readRemoteActor.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Create, isActor, Note, Person } from "@fedify/vocab";
import { readRemoteActor, readRemoteNote } from "./remote.ts";
import { fixture, offlineLoader, parsed } from "./testdata/load.ts";

/** The Note a Create fixture carries, mapped, and the URLs the loader was asked for. */
async function replyOf(name: string) {
  const { object, loader, requested, opts } = await parsed(name);
  assert.ok(object instanceof Create, `${name} is a Create`);
  const note = await object.getObject(opts);
  assert.ok(note instanceof Note, `${name} carries a Note`);
  return { note, remote: await readRemoteNote(note, { documentLoader: loader }), requested };
}

const OWNER = "https://liner.example/ap/actor/owner";
const POST = "https://liner.example/notes/columnar-thinking";
const count = (s: string, part: string) => s.split(part).length - 1;

test("actors: handle from username and id host, display name or username, http(s) URLs only", async () => {
  const cases: [string, string, string, string | null][] = [
    ["mastodon-actor.json", "@alice@mastodon.example", "Alice Lindqvist", "https://mastodon.example/inbox"],
    ["misskey-actor.json", "@kumiko@misskey.example", "kumiko", "https://misskey.example/inbox"],
    ["akkoma-actor.json", "@linkdigest@akkoma.example", "Link Digest :robot:", "https://akkoma.example/inbox"],
    ["gotosocial-actor.json", "@tobi@gts.example.org", "tobi", null],
    ["threads-actor.json", "@marta.codes@www.threads.net", "Marta Ruiz", "https://www.threads.net/ap/inbox/"],
  ];
  for (const [name, handle, display, shared] of cases) {
    const { object, opts, requested } = await parsed(name);
    assert.ok(isActor(object), name);
    const a = await readRemoteActor(object, opts);
    assert.equal(a.uri, object.id?.href);
    assert.deepEqual([a.handle, a.name, a.sharedInbox], [handle, display, shared], name);
    assert.match(a.iconUrl ?? "", /^https:\/\/.+\.(png|webp|jpg)/, `${name}: the embedded icon`);
    assert.match(a.inbox ?? "", /^https:\/\/.+inbox\/?$/);
    assert.deepEqual(
      requested.filter((u) => !u.endsWith("litepub-0.1.jsonld")),
      [],
      `${name}: no fetch`,
    );
  }
  const { object } = await parsed("mastodon-actor.json");
  assert.equal((await readRemoteActor(object as Person)).url, "https://mastodon.example/@alice");
  // A profile link that is not http(s) falls back to the actor's id; a data: icon is dropped.
  const odd = { ...fixture("misskey-actor.json"), url: "javascript:alert(1)", icon: { type: "Image", url: "data:," } };
  const a = await readRemoteActor(await Person.fromJsonLd(odd, offlineLoader().opts));
  assert.deepEqual([a.url, a.iconUrl], ["https://misskey.example/users/9tjh1k2m3n", null]);
});

test("Mastodon: content warning, alt text, mention, hashtag; classes dropped, links kept", async () => {
  const { remote: r, requested } = await replyOf("mastodon-reply.json");
  assert.equal(r.id, "https://mastodon.example/users/alice/statuses/113456789012345678");
  assert.equal(r.url, "https://mastodon.example/@alice/113456789012345678");
  assert.deepEqual([r.inReplyTo, r.attributedTo], [POST, "https://mastodon.example/users/alice"]);
  assert.deepEqual([r.contentWarning, r.sensitive], ["Spoilers for the benchmark results", true]);
  assert.deepEqual(r.attachments, [
    {
      url: "https://files.mastodon.example/media_attachments/files/113/456/789/012/345/678/original/5e0c1d2b3a4f5e6d.png",
      alt: "Bar chart: row store 41 s, column store 9.8 s for the same query",
      mediaType: "image/png",
    },
  ]);
  assert.deepEqual(r.mentions, [{ href: OWNER, name: "@owner@liner.example" }]);
  assert.deepEqual(r.hashtags, ["DataEngineering"]);
  assert.match(r.html, /<a href="https:\/\/alice\.example\/posts\/parquet-gap" rel="nofollow ugc noopener">/);
  assert.doesNotMatch(r.html, /class=|target=|<span/);
  assert.match(r.text, /^@owner We saw the same 4× gap on Parquet & DuckDB\. Chart attached\. #DataEngineering\n/);
  assert.deepEqual([r.quoteUrl, r.published, r.updated], [null, "2025-02-03T09:15:42.000Z", null]);
  assert.deepEqual(requested, [], "everything was embedded");
});

test("Misskey: a quote (_misskey_quote / quoteUrl) already linked by its RE: line is not linked twice", async () => {
  const { remote: r } = await replyOf("misskey-quote.json");
  const quoted = "https://liner.example/notes/row-stores-revisited";
  assert.equal(r.quoteUrl, quoted);
  assert.equal(count(r.html, `href="${quoted}"`), 1);
  assert.equal(r.inReplyTo, POST);
  assert.equal(r.url, r.id, "Misskey sends no url: the id stands in");
  assert.match(r.text, /これは良い記事です <3 #データ/);
  assert.deepEqual(r.hashtags, ["データ"]);
  assert.equal(r.attachments[0].alt, "ホワイトボードに描かれた列指向ストレージの図");
  assert.deepEqual([r.contentWarning, r.sensitive], [null, false]);
});

test("Akkoma: a Fedibird quoteUri (and FEP-e232 Link tag) not in the content gets an RE: link", async () => {
  const { remote: r, requested } = await replyOf("akkoma-reply.json");
  const quoted = "https://mastodon.example/users/alice/statuses/113456789012345678";
  assert.equal(r.quoteUrl, quoted);
  assert.ok(r.html.endsWith(`<p>RE: <a href="${quoted}" rel="nofollow ugc noopener">${quoted}</a></p>`), r.html);
  assert.match(r.text, new RegExp(`\nRE: ${quoted}$`));
  assert.deepEqual(r.mentions, [{ href: OWNER, name: "@owner@liner.example" }], "the Link tag is no mention");
  assert.deepEqual(r.hashtags, ["storage"]);
  assert.equal(r.attachments[0].alt, "Screenshot of the article's first table");
  assert.equal(r.contentWarning, null, 'an empty summary ("") is no warning');
  // Only its own JSON-LD context (asked for more than once: Fedify's loaders do not cache).
  assert.deepEqual([...new Set(requested)], ["https://akkoma.example/schemas/litepub-0.1.jsonld"]);
});

test("GoToSocial: a lone tag object, Image alt text; its interaction policy reaches Fedify intact", async () => {
  const { note, remote: r } = await replyOf("gotosocial-reply.json");
  assert.deepEqual(r.mentions, [{ href: OWNER, name: "@owner@liner.example" }]);
  assert.equal(
    r.attachments[0].alt,
    "A whiteboard sketch: rows on the left, columns on the right, arrows between them.",
  );
  assert.equal(r.attachments[0].mediaType, "image/jpeg");
  assert.equal(r.text, "@owner drew this after reading your post, hope it helps someone");
  const canReply = note.interactionPolicy?.canReply;
  assert.deepEqual(
    canReply?.automaticApprovals.map((u) => u.href),
    ["https://gts.example.org/users/tobi/followers", OWNER],
  );
  assert.deepEqual(
    canReply?.manualApprovals.map((u) => u.href),
    ["https://www.w3.org/ns/activitystreams#Public"],
  );
});

test("Threads: trailing-slash ids, page URL, instagram-style alt text, offset timestamps", async () => {
  const { remote: r } = await replyOf("threads-reply.json");
  assert.equal(r.id, "https://www.threads.net/ap/users/17841400000000001/post/17990000000000001/");
  assert.equal(r.url, "https://www.threads.net/@marta.codes/post/DFaBcDeFgHi");
  assert.equal(r.published, "2025-02-07T20:01:33.000Z");
  assert.match(r.attachments[0].alt, /^Photo by Marta Ruiz/);
  assert.equal(r.text, "@owner@liner.example this matches what we measured.\nOur notes: marta.example/columnar");
});
