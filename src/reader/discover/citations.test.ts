import assert from "node:assert/strict";
import { test } from "node:test";
import { type Citation, type CitingItem, extractCitations, MAX_CITATIONS_PER_ITEM } from "./citations.ts";
import { normalizeHost, siteKeyOf } from "./urls.ts";

const item = (contentHtml: string, more: Partial<CitingItem> = {}): CitingItem => ({
  contentHtml,
  summaryHtml: "",
  url: "https://blog.example.org/2024/05/post.html",
  viaUrl: null,
  ...more,
});

/** Citations without their labels (the label tests are below). */
const unlabeled = (list: Citation[]) => list.map(({ label: _label, ...c }) => c);

const cases: { name: string; item: CitingItem; host?: string; want: Omit<Citation, "label">[] }[] = [
  {
    name: "an outbound link",
    item: item(`<p>Read <a href="https://Other.COM/a">this</a>.</p>`),
    want: [{ url: "https://other.com/a", host: "other.com", kind: "link" }],
  },
  {
    name: "www. is dropped from the host, not from the URL",
    item: item(`<a href="https://www.other.com/a">x</a>`),
    want: [{ url: "https://www.other.com/a", host: "other.com", kind: "link" }],
  },
  {
    name: "links to the source's own host are left out (with or without www)",
    item: item(`<a href="https://example.org/about">me</a> <a href="https://www.example.org/x">me</a>`),
    host: "example.org",
    want: [],
  },
  {
    name: "relative links resolve against the item URL (and then count as own-host)",
    item: item(`<a href="../other.html">older</a> <a href="/about">about</a>`),
    host: "blog.example.org",
    want: [],
  },
  {
    name: "relative links resolve against the item URL",
    item: item(`<a href="../other.html">older</a>`, { url: "https://mirror.example.net/2024/05/post.html" }),
    host: "example.org",
    want: [{ url: "https://mirror.example.net/2024/other.html", host: "mirror.example.net", kind: "link" }],
  },
  {
    name: "relative links without an item URL are skipped",
    item: item(`<a href="/x">x</a><a href="https://ok.net/">ok</a>`, { url: null }),
    want: [{ url: "https://ok.net/", host: "ok.net", kind: "link" }],
  },
  {
    name: "the item's own URL is left out",
    item: item(`<a href="https://blog.example.org/2024/05/post.html#comments">permalink</a>`),
    host: "elsewhere.net",
    want: [],
  },
  {
    name: "share and intent links, mailto and feed proxies are left out",
    item: item(
      `<a href="https://twitter.com/intent/tweet?url=x">Tweet</a>
       <a href="https://www.facebook.com/sharer/sharer.php?u=x">Share</a>
       <a href="https://www.linkedin.com/shareArticle?mini=true&amp;url=x">Share</a>
       <a href="mailto:me@example.org">Mail</a>
       <a href="https://feeds.feedburner.com/~ff/blog?a=1">ff</a>
       <a href="https://reddit.com/submit?url=x">reddit</a>
       <a href="javascript:alert(1)">js</a>
       <a href="#top">top</a>
       <a href="https://twitter.com/someone">a real profile</a>`,
    ),
    want: [{ url: "https://twitter.com/someone", host: "twitter.com/someone", kind: "link" }],
  },
  {
    name: "tracking parameters and fragments are stripped; one citation per URL",
    item: item(
      `<a href="https://news.net/story?id=7&amp;utm_source=feed&amp;utm_medium=rss#part">a</a>
       <a href="https://news.net/story?id=7">b</a><a href="https://news.net/x?fbclid=abc">c</a>`,
    ),
    want: [
      { url: "https://news.net/story?id=7", host: "news.net", kind: "link" },
      { url: "https://news.net/x", host: "news.net", kind: "link" },
    ],
  },
  {
    name: "Atom rel=via on the item is a via credit",
    item: item(`<a href="https://news.net/a">a</a>`, { viaUrl: "https://curator.example.com/links/42" }),
    want: [
      { url: "https://curator.example.com/links/42", host: "curator.example.com", kind: "via" },
      { url: "https://news.net/a", host: "news.net", kind: "link" },
    ],
  },
  {
    name: "rel=via links and via / h/t / hat tip phrases are via credits",
    item: item(
      `<p>Great read (<a href="https://a.net/">story</a>), via <a href="https://b.net/">B</a>.</p>
       <p>H/T: <a href="https://c.net/">C</a></p>
       <p>Hat tip to <a href="https://d.net/">D</a>; <a rel="nofollow via" href="https://e.net/">E</a></p>
       <p>Originally published at <a href="https://f.net/post">F</a></p>
       <p>RT <a href="https://g.social/@gee">@gee</a> and also <a href="https://h.net/">h</a></p>`,
    ),
    want: [
      { url: "https://a.net/", host: "a.net", kind: "link" },
      { url: "https://b.net/", host: "b.net", kind: "via" },
      { url: "https://c.net/", host: "c.net", kind: "via" },
      { url: "https://d.net/", host: "d.net", kind: "via" },
      { url: "https://e.net/", host: "e.net", kind: "via" },
      { url: "https://f.net/post", host: "f.net", kind: "via" },
      { url: "https://g.social/@gee", host: "g.social/@gee", kind: "via" },
      { url: "https://h.net/", host: "h.net", kind: "link" },
    ],
  },
  {
    name: "a credit word inside another word, or not right before the link, does not make a via",
    item: item(`<p>Via the <a href="https://a.net/">A</a> list and obvia <a href="https://b.net/">B</a></p>`),
    want: [
      { url: "https://a.net/", host: "a.net", kind: "link" },
      { url: "https://b.net/", host: "b.net", kind: "link" },
    ],
  },
  {
    name: "a link that is both a plain link and a credit is one via citation",
    item: item(`<a href="https://b.net/">B</a> … via <a href="https://b.net/">B</a>`),
    want: [{ url: "https://b.net/", host: "b.net", kind: "via" }],
  },
  {
    name: "credits named without a link count as via (saves/credits.ts detection)",
    item: item(`<p>Great thread (via @dee@social.example)</p>`),
    want: [{ url: "https://social.example/@dee", host: "social.example/@dee", kind: "via" }],
  },
  {
    name: "summary links count too; attributes may hold '>' and single quotes",
    item: item(`<a title="a > b" href='https://q.net/1'>q</a>`, { summaryHtml: `<a href="https://s.net/">s</a>` }),
    want: [
      { url: "https://q.net/1", host: "q.net", kind: "link" },
      { url: "https://s.net/", host: "s.net", kind: "link" },
    ],
  },
  {
    name: "ports and www are not part of the host",
    item: item(`<a href="http://www.Loop.test:8080/feed">x</a>`),
    want: [{ url: "http://www.loop.test:8080/feed", host: "loop.test", kind: "link" }],
  },
];

for (const c of cases) {
  test(`extractCitations: ${c.name}`, () => {
    assert.deepEqual(unlabeled(extractCitations(c.item, c.host ?? "example.org")), c.want);
  });
}

test("extractCitations: at most MAX_CITATIONS_PER_ITEM per item", () => {
  const links = Array.from({ length: MAX_CITATIONS_PER_ITEM + 50 }, (_, i) => `<a href="https://h${i}.net/">${i}</a>`);
  assert.equal(extractCitations(item(links.join(" ")), "example.org").length, MAX_CITATIONS_PER_ITEM);
});

test("normalizeHost: case, www., port and trailing dot", () => {
  assert.equal(normalizeHost("WWW.Example.COM:8080"), "example.com");
  assert.equal(normalizeHost("example.com."), "example.com");
  assert.equal(normalizeHost("wwwx.example.com"), "wwwx.example.com");
});

test("siteKeyOf: a host, or a person's profile on a shared host", () => {
  const cases: [string, string][] = [
    ["https://WWW.Example.org:8443/a/b", "example.org"],
    ["https://mastodon.social/@Alice/1234", "mastodon.social/@alice"],
    ["https://hachyderm.io/@bob", "hachyderm.io/@bob"],
    ["https://medium.com/@carol/a-post-123", "medium.com/@carol"],
    ["https://twitter.com/dave/status/1", "twitter.com/dave"],
    ["https://x.com/search?q=a", "x.com"],
    ["https://github.com/erin/repo/issues/1", "github.com/erin"],
    ["https://www.linkedin.com/in/frank/", "linkedin.com/in/frank"],
    ["https://www.linkedin.com/feed/", "linkedin.com"],
    ["https://bsky.app/profile/gus.bsky.social/post/3", "bsky.app/profile/gus.bsky.social"],
    ["https://www.youtube.com/watch?v=1", "youtube.com"],
    ["https://www.youtube.com/@hana", "youtube.com/@hana"],
    ["https://github.com/", "github.com"],
    ["not a url", ""],
  ];
  for (const [url, key] of cases) assert.equal(siteKeyOf(url), key, url);
});

test("extractCitations: a profile on a shared host skips its own posts and its platform's pages", () => {
  const got = extractCitations(
    item(
      `<a href="https://mastodon.social/@me/2">me</a> <a href="https://mastodon.social/tags/x">#x</a> <a href="https://mastodon.social/@you">@you</a>`,
      { url: "https://mastodon.social/@me/1" },
    ),
    "mastodon.social/@me",
  );
  assert.deepEqual(unlabeled(got), [
    { url: "https://mastodon.social/@you", host: "mastodon.social/@you", kind: "link" },
  ]);
});

test("extractCitations: labels are the link text or the credited name, not URLs, hosts or 'here'", () => {
  const got = extractCitations(
    item(
      `<p>Read <a href="https://a.example/post"><em>Tapes</em> &amp; reels</a>, <a href="https://b.example/">here</a>, <a href="https://c.example/x">https://c.example/x</a>, <a href="https://d.example/">d.example</a>.</p>`,
    ),
    "example.org",
  );
  assert.deepEqual(
    got.map((c) => [c.host, c.label]),
    [
      ["a.example", "Tapes & reels"],
      ["b.example", ""],
      ["c.example", ""],
      ["d.example", ""],
    ],
  );
  const credited = extractCitations(item(`<p>h/t <a href="https://e.example/">Erin’s Blog</a></p>`), "example.org");
  assert.deepEqual(credited, [{ url: "https://e.example/", host: "e.example", kind: "via", label: "Erin’s Blog" }]);
});
