import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type CliEnv, cliEnv, runCli } from "../../cli/testing.ts";
import { postStore } from "../../content/testing.ts";
import { closeContext } from "../../lib/context.ts";
import type { TestServer } from "../../lib/net/test-server.ts";
import { saveStore } from "./store.ts";
import { fixture, insertSourceItem, makeTheme, pageServer } from "./testing.ts";

describe("liner save", () => {
  let env: CliEnv;
  let server: TestServer;
  let run: (args: string[], extra?: NodeJS.ProcessEnv) => ReturnType<typeof runCli>;

  before(async () => {
    env = await cliEnv();
    server = await pageServer({ "/tape": [200, "text/html; charset=utf-8", fixture("opengraph.html")] });
    const ctx = await env.open();
    try {
      await makeTheme(ctx, "Sound");
      await insertSourceItem(ctx, {
        sourceTitle: "Link Ledger",
        siteUrl: "https://ledger.example/",
        itemUrl: "https://ledger.example/1",
        itemTitle: "x",
        html: "",
      });
    } finally {
      await closeContext(ctx);
    }
    run = (args, extra = {}) =>
      runCli(["save", ...args], { env: { ...env.env, LINER_ALLOW_PRIVATE_FETCH: "1", ...extra } });
  });
  after(async () => {
    await server.close();
    await env.cleanup();
  });

  test("saves a URL with blurb, theme and credits, publishes it, and prints the id and credit line", async () => {
    const r = await run([
      `${server.origin}/tape?utm_source=x`,
      "--blurb",
      "Fans kept *everything*.",
      "--theme",
      "sound",
      "--via",
      "https://ledger.example/2026/04/links",
      "--via",
      "https://www.upstream.example/post",
      "--publish",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.match(lines[0], /^Saved (\d+): The Tape Archive That Saved a Scene$/);
    assert.equal(lines[1], `  ${server.origin}/tape`);
    assert.equal(lines[2], "  via Link Ledger, who found it at upstream.example");
    assert.match(lines[3], /^ {2}Published: http:\/\/127\.0\.0\.1:4321\/posts\/the-tape-archive-that-saved-a-scene$/);
    const id = Number(/^Saved (\d+)/.exec(lines[0])?.[1]);

    const ctx = await env.open();
    try {
      const save = await saveStore(ctx.db).byId(id);
      assert.equal(save?.author_name, "Mara Okafor, Lee Chan");
      assert.match(save?.page_text ?? "", /shoeboxes/);
      assert.equal(save?.blurb_md, "Fans kept *everything*.");
      assert.deepEqual(await saveStore(ctx.db).credits(id), [
        { name: "Link Ledger", url: "https://ledger.example/2026/04/links" },
        { name: "upstream.example", url: "https://www.upstream.example/post" },
      ]);
      const post = await postStore(ctx.db).byId(save?.post_id ?? 0);
      assert.equal(post?.kind, "link");
      assert.equal(post?.status, "published");
    } finally {
      await closeContext(ctx);
    }
  });

  test("without LINER_ALLOW_PRIVATE_FETCH the loopback page is not fetched, but the save is made", async () => {
    const r = await run([`${server.origin}/tape`], { LINER_ALLOW_PRIVATE_FETCH: "0" });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Saved \\d+: ${server.origin.replace(/\./g, "\\.")}/tape$`, "m"));
    assert.match(r.stderr, /private or local network/);
  });

  test("bad input exits 1 naming the flag; usage errors exit 2", async () => {
    const badTheme = await run(["https://ok.example/", "--theme", "nope"]);
    assert.equal(badTheme.code, 1);
    assert.match(badTheme.stderr, /--theme: no theme with the slug "nope" \(themes: sound\)/);
    const badVia = await run(["https://ok.example/", "--via", "https://a.example/", "--via", "not-a-url"]);
    assert.equal(badVia.code, 1);
    assert.match(badVia.stderr, /--via 2: Credit 2's address "not-a-url" is not a web address/);
    const badUrl = await run(["ftp://files.example/x"]);
    assert.equal(badUrl.code, 1);
    assert.match(
      badUrl.stderr,
      /URL: The address \(URL\) of the page to save "ftp:\/\/files\.example\/x" is not a web address/,
    );
    const publishNoTheme = await run(["https://ok.example/", "--publish"]);
    assert.equal(publishNoTheme.code, 1);
    assert.match(publishNoTheme.stderr, /--theme: choose at least one theme to publish/);
    const missing = await runCli(["save"], { env: env.env });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing URL/);
    const help = await runCli(["save", "--help"], { env: env.env });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--via URL/);

    const ctx = await env.open();
    try {
      assert.equal(await saveStore(ctx.db).count(), 2, "only the two good saves were stored");
    } finally {
      await closeContext(ctx);
    }
  });
});
