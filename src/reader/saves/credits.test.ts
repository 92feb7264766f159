import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Credit, creditLine, dedupeCredits, detectCredits, proposeCredits } from "./credits.ts";

const BASE = "https://blog.example.com/2026/04/post";

const cases: { name: string; html: string; want: Credit[] }[] = [
  {
    name: "rel=via link",
    html: `<p>Worth a read. <a rel="via" href="https://anna.example/notes">Anna's notes</a></p>`,
    want: [{ name: "Anna's notes", url: "https://anna.example/notes" }],
  },
  {
    name: "via + link",
    html: `<p>A long piece on tapes (via <a href="https://kottke.org/">Jason Kottke</a>).</p>`,
    want: [{ name: "Jason Kottke", url: "https://kottke.org/" }],
  },
  {
    name: "via + relative link resolves against the item",
    html: `<p>Found via <a href="/friends/bo">Bo</a></p>`,
    want: [{ name: "Bo", url: "https://blog.example.com/friends/bo" }],
  },
  { name: "(via @user)", html: `<p>So good (via @marisa)</p>`, want: [{ name: "@marisa", url: "" }] },
  {
    name: "via a fediverse handle",
    html: `<p>Seen via @ana@social.example.net.</p>`,
    want: [{ name: "@ana@social.example.net", url: "https://social.example.net/@ana" }],
  },
  {
    name: "via a bare name after a dash",
    html: `<p>Great thread — via Jane Doe</p>`,
    want: [{ name: "Jane Doe", url: "" }],
  },
  {
    name: "via a domain",
    html: `<p>Found this via daringfireball.net, thanks.</p>`,
    want: [{ name: "daringfireball.net", url: "https://daringfireball.net/" }],
  },
  {
    name: "h/t + link",
    html: `<p>h/t <a href="https://sam.example/">Sam Lee</a> for the find</p>`,
    want: [{ name: "Sam Lee", url: "https://sam.example/" }],
  },
  { name: "H/T upper case, plain name", html: `<p>H/T Priya Patel.</p>`, want: [{ name: "Priya Patel", url: "" }] },
  { name: "HT: name", html: `<p>HT: Olu Adeyemi and friends</p>`, want: [{ name: "Olu Adeyemi", url: "" }] },
  {
    name: "hat tip to + link",
    html: `<p>Hat tip to <a href="https://waxy.org/">Andy Baio</a>.</p>`,
    want: [{ name: "Andy Baio", url: "https://waxy.org/" }],
  },
  {
    name: "hattip, particle in name",
    html: `<p>Hattip Museum of Modern Art</p>`,
    want: [{ name: "Museum of Modern Art", url: "" }],
  },
  { name: "RT @user", html: `<p>RT @tapehead: this is the one</p>`, want: [{ name: "@tapehead", url: "" }] },
  {
    name: "originally published at + link",
    html: `<p><em>This essay was originally published at <a href="https://atlantic.example/x">The Atlantic</a>.</em></p>`,
    want: [{ name: "The Atlantic", url: "https://atlantic.example/x" }],
  },
  {
    name: "originally published on a domain",
    html: `<p>Originally published on https://medium.example/@jo/story.</p>`,
    want: [{ name: "medium.example", url: "https://medium.example/@jo/story" }],
  },
  {
    name: "first posted in a named place",
    html: `<p>First posted in The Paris Review.</p>`,
    want: [{ name: "The Paris Review", url: "" }],
  },
  { name: "via in prose is not a credit", html: `<p>I connected via USB and sent it via email.</p>`, want: [] },
  { name: "ht inside words is not a credit", html: `<p>HTML is what I thought about with HTTP.</p>`, want: [] },
  { name: "RT without a handle is not a credit", html: `<p>RT is a TV channel.</p>`, want: [] },
  { name: "scripts are ignored", html: `<script>var x = "via Evil Corp";</script><p>Nothing here.</p>`, want: [] },
  { name: "empty", html: "", want: [] },
];

describe("detectCredits", () => {
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(detectCredits(c.html, BASE), c.want);
    });
  }

  test("several credits come back in document order after rel=via links", () => {
    const html = `<p>h/t Ana Ruiz</p><p>via <a href="https://b.example/">Bea</a></p><a rel="via" href="https://c.example/">C</a>`;
    assert.deepEqual(
      detectCredits(html, BASE).map((c) => c.name),
      ["C", "Ana Ruiz", "Bea"],
    );
  });
});

describe("proposeCredits", () => {
  const source = { title: "Link Ledger", siteUrl: "https://ledger.example/" };
  const saved = "https://article.example/story";

  test("position 0 is the source, then Atom via, then the item's text", () => {
    const chain = proposeCredits({
      savedUrl: saved,
      source,
      item: {
        url: saved,
        viaUrl: "https://upstream.example/post/9",
        html: `<p>Great (via <a href="https://other.example/">Other Blog</a>)</p>`,
      },
    });
    assert.deepEqual(chain, [
      { name: "Link Ledger", url: "https://ledger.example/" },
      { name: "upstream.example", url: "https://upstream.example/post/9" },
      { name: "Other Blog", url: "https://other.example/" },
    ]);
  });

  test("never credits the saved URL, and repeats collapse keeping the better name", () => {
    const chain = proposeCredits({
      savedUrl: "https://article.example/story?utm_source=rss",
      source,
      item: {
        url: "https://ledger.example/2026/link-to-story",
        viaUrl: "https://www.upstream.example/post/9/",
        html: `<p>via <a href="https://article.example/story">the article</a>, h/t <a href="http://upstream.example/post/9?utm_medium=x">Up Stream</a>, HT <a href="https://ledger.example">Ledger</a></p>`,
      },
    });
    assert.deepEqual(chain, [
      { name: "Link Ledger", url: "https://ledger.example/" },
      { name: "Up Stream", url: "https://www.upstream.example/post/9/" },
    ]);
  });

  test("a URL-only save has no proposed credits", () => {
    assert.deepEqual(proposeCredits({ savedUrl: saved }), []);
  });
});

test("dedupeCredits drops blank rows and names bare URLs by host", () => {
  assert.deepEqual(
    dedupeCredits([
      { name: "", url: "" },
      { name: "", url: "https://www.example.org/a" },
      { name: "Someone", url: "" },
      { name: "someone ", url: "" },
    ]),
    [
      { name: "example.org", url: "https://www.example.org/a" },
      { name: "Someone", url: "" },
    ],
  );
});

test("creditLine reads nearest first", () => {
  assert.equal(creditLine([]), "");
  assert.equal(creditLine([{ name: "A", url: "" }]), "via A");
  assert.equal(
    creditLine([
      { name: "A", url: "" },
      { name: "B", url: "" },
      { name: "C", url: "" },
    ]),
    "via A, who found it at B, who found it at C",
  );
});
