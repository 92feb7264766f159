import assert from "node:assert/strict";
import { test } from "node:test";
import {
  dateFromFileName,
  FrontMatterError,
  parseDate,
  parseMarkdownFile,
  parseThemesFile,
  slugFromPath,
  splitFrontMatter,
  toMarkdownFile,
  toThemesFile,
} from "./markdown-files.ts";

const iso = (v: unknown) => parseDate(v)?.toISOString() ?? null;

test("parseDate reads Hugo, Jekyll and Eleventy dates as UTC", () => {
  assert.equal(iso("2024-03-01"), "2024-03-01T00:00:00.000Z");
  assert.equal(iso("2024-03-01T10:20:30Z"), "2024-03-01T10:20:30.000Z");
  assert.equal(iso("2024-03-01T10:20:30.250Z"), "2024-03-01T10:20:30.250Z");
  assert.equal(iso("2024-03-01T10:20:30+02:00"), "2024-03-01T08:20:30.000Z");
  assert.equal(iso("2024-03-01T10:20:30-0430"), "2024-03-01T14:50:30.000Z");
  assert.equal(iso("2024-03-01 10:20:00 +0200"), "2024-03-01T08:20:00.000Z"); // Jekyll
  assert.equal(iso("2024-03-01 10:20"), "2024-03-01T10:20:00.000Z");
  assert.equal(iso(new Date("2020-01-01T00:00:00Z")), "2020-01-01T00:00:00.000Z");
});

test("parseDate refuses what it cannot read instead of guessing", () => {
  for (const bad of ["yesterday", "2024-02-31", "2024-13-01", "2024-03-01T25:00:00Z", "03/01/2024", "", 2024, null]) {
    assert.equal(parseDate(bad), null, String(bad));
  }
});

test("slugs come from file names without Jekyll's date, or from a bundle's folder", () => {
  assert.equal(slugFromPath("_posts/2019-05-03-liner-notes.markdown"), "liner-notes");
  assert.equal(slugFromPath("posts/My First Post.md"), "my-first-post");
  assert.equal(slugFromPath("content/posts/bundle-post/index.md"), "bundle-post");
  assert.equal(slugFromPath("index.md"), "index");
  assert.equal(dateFromFileName("_posts/2019-05-03-liner-notes.md")?.toISOString(), "2019-05-03T00:00:00.000Z");
  assert.equal(dateFromFileName("posts/liner-notes.md"), null);
});

test("a Hugo file: front matter fields, tags and categories merged, body without the blank line", () => {
  const p = parseMarkdownFile(
    `---
title: "Imagine the forward"
date: 2023-04-05T09:30:00-04:00
draft: false
description: "Tell the story."
tags: ["Social web", "Writing"]
categories: writing
slug: imagine
---

Body **here**.
`,
    "content/posts/x.md",
  );
  assert.equal(p.title, "Imagine the forward");
  assert.equal(p.slug, "imagine");
  assert.equal(p.date?.toISOString(), "2023-04-05T13:30:00.000Z");
  assert.equal(p.draft, false);
  assert.equal(p.summary, "Tell the story.");
  assert.deepEqual(p.tags, ["Social web", "Writing"]);
  assert.equal(p.kind, "article");
  assert.equal(p.body, "Body **here**.");
  assert.equal(p.bodyLine, 10);
  assert.equal(p.lines.tags, 6);
});

test("Jekyll and Eleventy conventions: file-name dates, published: false, collection tags", () => {
  const j = parseMarkdownFile(
    "---\ntitle: T\npublished: false\ncategories: a, b\n---\nx",
    "_posts/2020-02-03-hello.md",
  );
  assert.equal(j.slug, "hello");
  assert.equal(j.date?.toISOString(), "2020-02-03T00:00:00.000Z");
  assert.equal(j.draft, true);
  assert.deepEqual(j.tags, ["a", "b"]);
  const e = parseMarkdownFile("---\ntitle: T\ntags: [posts, Writing, writing]\n---\nx", "posts/e.md");
  assert.deepEqual(e.tags, ["Writing"]);
});

test("marp: true makes a presentation and keeps the deck's directives in its body", () => {
  const p = parseMarkdownFile("---\ntitle: Deck\nmarp: true\npaginate: true\n---\n\n# One\n\n---\n\n# Two\n", "d.md");
  assert.equal(p.kind, "presentation");
  assert.equal(p.body, "---\npaginate: true\n---\n\n# One\n\n---\n\n# Two");
  assert.equal(parseMarkdownFile("---\ntitle: N\nkind: Note\n---\n", "n.md").kind, "note");
});

function failsAt(text: string, line: number, reason: RegExp) {
  assert.throws(
    () => parseMarkdownFile(text, "f.md"),
    (e: unknown) => e instanceof FrontMatterError && e.line === line && reason.test(e.reason),
  );
}

test("bad front matter is reported with its line and reason", () => {
  failsAt("---\ntitle: ok\ndate: 2020-01-01\ntags: [a, b\nsummary: x\n---\n", 5, /YAML syntax error/);
  failsAt("---\ntitle: a\ntitle: b\n---\n", 3, /YAML syntax error: Map keys must be unique/);
  failsAt("---\ndate: 2020-01-01\n---\nbody", 1, /title: missing/);
  failsAt("---\ntitle: x\n\ndate: next tuesday\n---\n", 4, /date: cannot read "next tuesday"/);
  failsAt("---\ntitle: x\ntags:\n  a: 1\n---\n", 3, /tags: must be a name or a list/);
  failsAt("---\ntitle: [a, b]\n---\n", 2, /title: must be text, not a list/);
  failsAt("---\ntitle: x\ndraft: maybe\n---\n", 3, /draft: must be true or false/);
  failsAt("---\ntitle: x\nkind: podcast\n---\n", 3, /kind: must be one of/);
  failsAt("---\ntitle: x\n", 1, /not closed/);
  failsAt("# Just Markdown\n", 1, /no front matter/);
  failsAt("+++\ntitle = 'x'\n+++\n", 1, /TOML/);
  failsAt("---\n- a\n- b\n---\n", 2, /key: value pairs/);
});

test("splitFrontMatter handles CRLF, a BOM and the ... terminator", () => {
  const s = splitFrontMatter("\uFEFF---\r\ntitle: x\r\n...\r\nbody\r\n");
  assert.equal(s.yaml, "title: x");
  assert.equal(s.body, "body\n");
  assert.equal(s.bodyLine, 4);
});

test("toMarkdownFile writes what parseMarkdownFile reads back", () => {
  const post = {
    title: 'Quotes "and": colons',
    slug: "quotes-and-colons",
    kind: "presentation" as const,
    status: "scheduled" as const,
    summary: "A summary\nover two lines",
    published_at: "2031-05-06T07:08:09.000Z",
    body_md: "---\ntheme: gaia\n---\n\n# Slide\n\n---\n\n# Two\n",
    tags: ["Social web", "Learning in public"],
  };
  const text = toMarkdownFile(post);
  assert.match(text, /^---\ntitle: /);
  const back = parseMarkdownFile(text, "whatever.md");
  assert.equal(back.title, post.title);
  assert.equal(back.slug, post.slug);
  assert.equal(back.kind, "presentation");
  assert.equal(back.draft, false);
  assert.equal(back.summary, post.summary);
  assert.equal(back.date?.toISOString(), post.published_at);
  assert.deepEqual(back.tags, post.tags);
  assert.equal(back.body, post.body_md.trimEnd());
  const draft = parseMarkdownFile(toMarkdownFile({ ...post, status: "draft", published_at: null, tags: [] }), "x.md");
  assert.equal(draft.draft, true);
  assert.equal(draft.date, null);
});

test("the themes list round-trips and reports malformed entries", () => {
  const themes = [
    { name: "Social web", slug: "social", description: "One: paragraph.", position: 2 },
    { name: "Writing", slug: "writing", description: "", position: 0 },
  ];
  assert.deepEqual(parseThemesFile(toThemesFile(themes)), themes);
  assert.deepEqual(parseThemesFile("themes:\n  - name: Learning in public\n"), [
    { name: "Learning in public", slug: "learning-in-public", description: "", position: 0 },
  ]);
  assert.throws(() => parseThemesFile("themes:\n  - slug: x\n"), /name is missing/);
  assert.throws(
    () => parseThemesFile("themes: [\n"),
    (e: unknown) => e instanceof FrontMatterError,
  );
});
