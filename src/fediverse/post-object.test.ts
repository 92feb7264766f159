// test lanes: sqlite only
/**
 * What we send, as JSON-LD the way it goes out, checked for what Mastodon shows (an Article's
 * name, summary and link; a Note's content with the bookmark, credits and hashtags; Hashtag tags;
 * public addressing), and read back with our own readRemoteNote.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Object as APObject, Article, Note } from "@fedify/vocab";
import { hashtagName, type OutgoingPost, postObject, tombstoneOf } from "./post-object.ts";
import { readRemoteNote } from "./remote.ts";
import { offlineLoader } from "./testdata/load.ts";

const site = "https://liner.example";
const post = (over: Partial<OutgoingPost>): OutgoingPost => ({
  kind: "article",
  id: new URL(`${site}/notes/columnar-thinking`),
  url: new URL(`${site}/notes/columnar-thinking`),
  actor: new URL(`${site}/ap/actor/owner`),
  followers: new URL(`${site}/ap/actor/owner/followers`),
  title: "Rows & columns",
  summary: "Why columns & rows win",
  html: '<p>Body with <a href="https://duckdb.org/">a link</a>.</p>',
  published: new Date("2025-02-01T10:00:00Z"),
  themes: [
    { name: "data engineering", url: new URL(`${site}/themes/data-engineering`) },
    { name: "2024", url: new URL(`${site}/themes/2024`) },
    { name: "Data-Engineering", url: new URL(`${site}/themes/data-engineering-2`) },
  ],
  ...over,
});

/** The JSON-LD as sent (compacted), and the object Fedify reads back from it, mapped. */
async function roundTrip(p: OutgoingPost) {
  const json = (await postObject(p).toJsonLd({ format: "compact" })) as Record<string, any>;
  const { opts } = offlineLoader();
  const back = await APObject.fromJsonLd(json, opts);
  assert.ok(back instanceof Article || back instanceof Note);
  return { json, back, remote: await readRemoteNote(back, opts) };
}

const PUBLIC = ["https://www.w3.org/ns/activitystreams#Public", "as:Public"];
const HASHTAG = { type: "Hashtag", href: `${site}/themes/data-engineering`, name: "#DataEngineering" };

test("long kinds go as an Article: name, summary, url, image, hashtags, public addressing", async () => {
  const image = { url: new URL(`${site}/media/chart.png`), alt: "A chart", mediaType: "image/png" };
  const updated = new Date("2025-02-02T08:00:00Z");
  const { json, remote } = await roundTrip(post({ image, updated }));
  assert.equal(json.type, "Article");
  assert.equal(json.id, `${site}/notes/columnar-thinking`);
  assert.equal(json.name, "Rows & columns", "a name is plain text");
  assert.equal(json.summary, "Why columns & rows win", "plain, as Mastodon reads it");
  assert.equal(json.url, `${site}/notes/columnar-thinking`);
  assert.equal(json.content, post({}).html);
  assert.deepEqual(json.image, { type: "Image", name: "A chart", mediaType: "image/png", url: image.url.href });
  assert.deepEqual(json.tag, HASHTAG, "'2024' makes no hashtag, and each hashtag goes once");
  assert.ok(PUBLIC.includes(json.to), json.to);
  assert.equal(json.cc, `${site}/ap/actor/owner/followers`);
  assert.equal(json.attributedTo, `${site}/ap/actor/owner`);
  assert.deepEqual([json.published, json.updated], ["2025-02-01T10:00:00Z", "2025-02-02T08:00:00Z"]);
  assert.equal(remote.contentWarning, null, "our summary is no content warning");
  assert.deepEqual(remote.hashtags, ["DataEngineering"]);
  assert.match(
    remote.html,
    /^<p>Body with <a href="https:\/\/duckdb\.org\/" rel="nofollow ugc noopener">a link<\/a>\.<\/p>$/,
  );
  for (const kind of ["presentation", "event", "page", "digest"] as const) {
    assert.equal((await roundTrip(post({ kind }))).json.type, "Article", kind);
  }
});

test("a note goes as a Note: content with hashtag links, its picture as an attachment, no summary", async () => {
  const image = { url: new URL(`${site}/media/chart.png`), alt: "A chart" };
  const { json, remote } = await roundTrip(post({ kind: "note", image }));
  assert.equal(json.type, "Note");
  assert.equal(json.name, undefined);
  assert.equal(json.summary, undefined, "Mastodon would show a summary as a content warning");
  assert.ok(json.content.startsWith(post({}).html));
  assert.match(
    json.content,
    /<a href="https:\/\/liner\.example\/themes\/data-engineering" class="mention hashtag" rel="tag">#<span>DataEngineering<\/span><\/a>/,
  );
  assert.deepEqual(json.tag, HASHTAG);
  assert.ok(PUBLIC.includes(json.to));
  assert.deepEqual(remote.attachments, [{ url: image.url.href, alt: "A chart", mediaType: null }]);
  assert.match(remote.text, /#DataEngineering$/);
});

test("a link post's Note carries the bookmark and the credit chain, nearest first, as links", async () => {
  const link = {
    url: "https://example.com/article?a=1&b=2",
    title: "An article",
    credits: [
      { name: "Bo", url: "https://bo.example/" },
      { name: "Cy <3", url: "https://cy.example/" },
    ],
  };
  const image = { url: new URL(`${site}/media/chart.png`), alt: "A chart" };
  const { json, remote } = await roundTrip(post({ kind: "link", link, image }));
  assert.equal(json.type, "Note");
  assert.match(json.content, /<p><a href="https:\/\/example\.com\/article\?a=1&amp;b=2">An article<\/a><\/p>/);
  assert.match(
    json.content,
    /<p>via <a href="https:\/\/bo\.example\/">Bo<\/a>, via <a href="https:\/\/cy\.example\/">Cy &lt;3<\/a><\/p>/,
  );
  assert.equal(json.attachment, undefined, "no media, so that Mastodon shows the bookmark's card");
  assert.match(remote.text, /\nAn article\nvia Bo, via Cy <3\n#DataEngineering$/);
  // A bookmark or credit whose URL is not http(s) is named, not linked.
  const odd = { url: "javascript:alert(1)", credits: [{ name: "Dee", url: "data:," }] };
  const { json: oddJson } = await roundTrip(post({ kind: "link", link: odd }));
  assert.doesNotMatch(oddJson.content, /href="(javascript|data):/);
  assert.match(oddJson.content, /<p>javascript:alert\(1\)<\/p><p>via Dee<\/p>/);
});

test("hashtagName: CamelCase, letters of every script kept, spaces and symbols dropped", () => {
  const cases: [string, string][] = [
    ["data engineering", "DataEngineering"],
    ["open-source tools", "OpenSourceTools"],
    ["café culture", "CaféCulture"],
    ["日本 語", "日本語"],
    ["🎉 launch day!", "LaunchDay"],
    ["C++", "C"],
    ["2024", ""],
    ["  ", ""],
  ];
  for (const [theme, tag] of cases) assert.equal(hashtagName(theme), tag, theme);
});

test("a deleted post's Tombstone keeps its id and says when", async () => {
  const json = (await tombstoneOf(
    new URL(`${site}/notes/gone`),
    new Date("2025-03-01T12:00:00Z"),
  ).toJsonLd()) as Record<string, unknown>;
  assert.deepEqual([json.type, json.id, json.deleted], ["Tombstone", `${site}/notes/gone`, "2025-03-01T12:00:00Z"]);
});
