// test lanes: sqlite only
import assert from "node:assert/strict";
import { test } from "node:test";
import { shareLinks } from "./share.ts";

const post = {
  kind: "article",
  title: "Owning your words & more",
  summary: "Why the copy on your own site counts.",
  text: "",
  url: "https://site.example/posts/owning",
};

test("share links: prefilled, encoded, each within its site's limit; Pinterest only with an image", () => {
  const links = new Map(shareLinks(post).map((l) => [l.name, new URL(l.href)]));
  assert.deepEqual(
    [...links.keys()],
    ["X", "Facebook", "Threads", "Reddit", "Hacker News", "Tumblr", "WhatsApp", "Email"],
  );
  assert.equal(
    links.get("X")?.searchParams.get("text"),
    "Owning your words & more: Why the copy on your own site counts.",
  );
  assert.equal(links.get("X")?.searchParams.get("url"), post.url);
  assert.equal(links.get("Hacker News")?.searchParams.get("t"), post.title);
  assert.equal(links.get("Email")?.protocol, "mailto:");
  assert.match(shareLinks(post)[7].href, /subject=Owning%20your%20words%20%26%20more&body=Why%20the/);
  const long = { ...post, title: "t".repeat(200), summary: "s".repeat(400) };
  const l2 = new Map(shareLinks(long, "https://site.example/media/c.jpg").map((l) => [l.name, new URL(l.href)]));
  assert.ok([...(l2.get("X")?.searchParams.get("text") ?? "")].length <= 256, "with the link (23) and a space: 280");
  assert.equal([...(l2.get("Hacker News")?.searchParams.get("t") ?? "")].length, 80);
  assert.equal(l2.get("Pinterest")?.searchParams.get("media"), "https://site.example/media/c.jpg");
  assert.ok([...(l2.get("Threads")?.searchParams.get("text") ?? "")].length <= 500);
});
