// test lanes: sqlite only
/**
 * readRemoteNote at its edges: hostile HTML and URLs, the ways a quote is marked, articles,
 * long posts, and tags that are only linked (and cannot be fetched here).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Article, Create, Hashtag, Link, Note } from "@fedify/vocab";
import { readRemoteNote } from "./remote.ts";
import { offlineLoader, parsed } from "./testdata/load.ts";

const id = new URL("https://social.example/notes/1");
const quoted = "https://social.example/notes/0";

test("hostile HTML: scripts, handlers, styles, frames and javascript: links dropped; http links kept", async () => {
  const { object, opts } = await parsed("hostile-reply.json");
  assert.ok(object instanceof Create);
  const note = await object.getObject(opts);
  assert.ok(note instanceof Note);
  const r = await readRemoteNote(note, opts);
  assert.doesNotMatch(r.html, /script|alert|on\w+=|style|iframe|<img|javascript:/i);
  assert.match(r.html, /<a href="https:\/\/evil\.example\/more" rel="nofollow ugc noopener">more<\/a>/);
  assert.equal(r.text, "Nice post click more");
  assert.equal(r.contentWarning, "cw", "the warning is plain text");
  assert.equal(r.url, r.id, "a javascript: url falls back to the id");
  assert.deepEqual(
    r.attachments.map((a) => a.url),
    ["https://evil.example/cat.png"],
  );
  assert.equal(r.quoteUrl, null, "a javascript: quote is no quote");
});

test("a quote marked only by a FEP-e232 Link tag is linked; Mastodon's own RE: span is left alone", async () => {
  const tags = [
    new Link({
      href: new URL(quoted),
      mediaType: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
    }),
    new Hashtag({ href: new URL("https://social.example/tags/x"), name: "#x" }),
  ];
  const r = await readRemoteNote(new Note({ id, content: "<p>look</p>", tags }), offlineLoader().opts);
  assert.equal(r.quoteUrl, quoted);
  assert.equal(r.html, `<p>look</p><p>RE: <a href="${quoted}" rel="nofollow ugc noopener">${quoted}</a></p>`);
  assert.deepEqual([r.mentions, r.hashtags], [[], ["x"]]);
  // The fallback span links the quoted post's page, not its id: it is still the quote's link.
  const content = `<p>look<span class="quote-inline"><br>RE: <a href="https://social.example/@a/0">social.example/@a/0</a></span></p>`;
  const again = await readRemoteNote(new Note({ id, content, quoteUrl: new URL(quoted) }));
  assert.equal(again.html.split("RE:").length, 2, again.html);
});

test("an article's summary is its abstract, not a content warning, unless it is marked sensitive", async () => {
  const summary = "What we found";
  const plain = await readRemoteNote(new Article({ id, name: "Title", summary, content: "<p>Body</p>" }));
  assert.deepEqual([plain.contentWarning, plain.html], [null, "<p>Body</p>"]);
  const marked = await readRemoteNote(new Article({ id, summary, sensitive: true, content: "<p>Body</p>" }));
  assert.equal(marked.contentWarning, summary);
  const note = await readRemoteNote(new Note({ id, summary, content: "<p>Body</p>" }));
  assert.equal(note.contentWarning, summary, "a Note's summary is Mastodon's CW");
});

test("text is at most 5,000 characters, never half an emoji; the html is kept whole", async () => {
  const long = `<p>${"🙂".repeat(3000)}</p>`;
  const r = await readRemoteNote(new Note({ id, content: long }));
  assert.equal(Array.from(r.text).length, 3000, "counted in code points: 6,000 UTF-16 units fit");
  const longer = await readRemoteNote(new Note({ id, content: `<p>${"ab ".repeat(4000)}🙂🙂</p>` }));
  assert.ok(longer.text.length <= 5000);
  assert.ok(longer.html.endsWith("🙂🙂</p>"));
  const astral = await readRemoteNote(new Note({ id, content: `<p>a${"🙂".repeat(6000)}</p>` }));
  assert.equal(Array.from(astral.text).length, 5000);
  assert.ok(!/[\ud800-\udbff]$/.test(astral.text), "no lone surrogate at the end");
});

test("a tag that is only linked, and cannot be fetched, is left out; the post is still read", async () => {
  const { loader, requested } = offlineLoader();
  const tags = [new URL("https://social.example/tags/elsewhere"), new Hashtag({ name: "#here" })];
  const r = await readRemoteNote(new Note({ id, content: "<p>hi</p>", tags }), { documentLoader: loader });
  assert.deepEqual(r.hashtags, ["here"]);
  assert.deepEqual(requested, ["https://social.example/tags/elsewhere"], "through the loader it was given");
  await assert.rejects(readRemoteNote(new Note({ content: "<p>no id</p>" })), /without an id/);
});
