import assert from "node:assert/strict";
import { test } from "node:test";
import { deviceOf, originOf, shouldCount } from "./visit.ts";

const site = "notes.example";
const source = (referer: string, search = "") => originOf({ referer, search }, site).source;

test("referrers grouped by source; none is direct; our own pages are internal (no source of their own)", () => {
  assert.equal(source(""), "direct");
  assert.equal(source("https://notes.example/posts/a"), "internal");
  assert.equal(source("https://www.google.de/"), "search");
  assert.equal(source("https://duckduckgo.com/"), "search");
  assert.equal(source("https://bsky.app/profile/a.test/post/3k"), "bluesky");
  assert.equal(source("https://www.linkedin.com/feed/"), "linkedin");
  assert.equal(source("https://lnkd.in/abc"), "linkedin");
  assert.equal(source("https://t.co/xyz"), "x");
  assert.equal(source("https://hachyderm.io/@a/1"), "mastodon");
  assert.equal(source("https://social.coop/@a/1"), "mastodon");
  assert.equal(source("https://news.ycombinator.com/item?id=1"), "hacker-news");
  assert.equal(source("https://mail.google.com/"), "newsletter");
  assert.equal(source("https://someblog.example/post"), "someblog.example");
  assert.equal(source("not a url"), "direct");
});

test("UTM tags and our ref= markers say more than the referrer", () => {
  const o = originOf(
    { referer: "https://t.co/x", search: "?utm_source=LinkedIn&utm_medium=social&utm_campaign=Q4" },
    site,
  );
  assert.deepEqual(
    { s: o.source, u: o.utmSource, m: o.utmMedium, c: o.utmCampaign, h: o.referrerHost },
    { s: "linkedin", u: "linkedin", m: "social", c: "q4", h: "t.co" },
  );
  assert.equal(originOf({ search: "?ref=digest" }, site).ref, "digest");
  assert.equal(originOf({ search: "?ref=email-share" }, site).ref, "forward", "“email this to a colleague”");
  assert.equal(originOf({ search: "?ref=forward" }, site).source, "newsletter");
  assert.equal(originOf({ search: "?ref=other" }, site).ref, null);
  assert.equal(originOf({ search: "?utm_medium=email" }, site).source, "newsletter");
  const merged = originOf({ search: "?utm_source=alice%40example.com&utm_campaign=a%40b.c" }, site);
  assert.deepEqual(
    [merged.source, merged.utmSource, merged.utmCampaign],
    ["direct", "", ""],
    "an address is never kept",
  );
});

test("device classes; what is not counted", () => {
  assert.equal(deviceOf("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"), "mobile");
  assert.equal(deviceOf("Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36"), "mobile");
  assert.equal(deviceOf("Mozilla/5.0 (Linux; Android 14; SM-X910) Safari/537.36"), "tablet");
  assert.equal(deviceOf("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)"), "tablet");
  assert.equal(deviceOf("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/133.0"), "desktop");
  const ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/133.0";
  assert.equal(shouldCount({ path: "/", search: "", ua }), true);
  assert.equal(shouldCount({ path: "/", search: "", ua, dnt: "1" }), false);
  assert.equal(shouldCount({ path: "/", search: "", ua, gpc: "1" }), false);
  assert.equal(shouldCount({ path: "/", search: "", ua, purpose: "prefetch;prerender" }), false);
  assert.equal(shouldCount({ path: "/", search: "", ua: "curl/8.5.0" }), false);
  assert.equal(shouldCount({ path: "/", search: "" }), false);
});
