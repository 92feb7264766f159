import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../../app.ts";
import { signIn } from "../../auth/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import type { TestServer } from "../../lib/net/test-server.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { saveStore, searchSaves } from "./store.ts";
import { fixture, insertSourceItem, makeTheme, pageServer } from "./testing.ts";

/** Values of every `<input name=NAME>` in order. */
function inputValues(page: string, name: string): string[] {
  return [...page.matchAll(new RegExp(`<input[^>]*name="${name}"[^>]*>`, "g"))].map(
    (m) => /value="([^"]*)"/.exec(m[0])?.[1] ?? "",
  );
}

const blank = { credit_name: ["", "", ""], credit_url: ["", "", ""] };

describe("saves in the admin", () => {
  let ctx: TestContext;
  let app: Hono<AppEnv>;
  let server: TestServer;

  beforeEach(async () => {
    ctx = await createTestContext();
    app = await createApp(ctx);
    server = await pageServer({
      "/features/tape-archive": [200, "text/html; charset=utf-8", fixture("opengraph.html")],
      "/broken": [500, "text/html", "<h1>oops</h1>"],
      "/file.pdf": [200, "application/pdf", "%PDF-1.4"],
    });
  });
  afterEach(async () => {
    await server.close();
    await ctx.cleanup();
  });

  test("the save page for an inbox item proposes the chain [source, the source's source]", async () => {
    const b = await signIn(ctx, app);
    const { itemId } = await insertSourceItem(ctx, {
      sourceTitle: "Link Ledger",
      siteUrl: "https://ledger.example/",
      itemUrl: "https://article.example/story",
      itemTitle: "A story about tapes",
      html: `<p>Great read (via <a href="https://upstream.example/">Upstream Blog</a>)</p>`,
    });
    const res = await b.request(`/admin/save?item=${itemId}`);
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.deepEqual(inputValues(page, "url"), ["https://article.example/story"]);
    assert.deepEqual(inputValues(page, "title"), ["A story about tapes"]);
    assert.deepEqual(inputValues(page, "itemId"), [String(itemId)]);
    const names = inputValues(page, "credit_name");
    const urls = inputValues(page, "credit_url");
    assert.deepEqual(names.slice(0, 2), ["Link Ledger", "Upstream Blog"]);
    assert.deepEqual(urls.slice(0, 2), ["https://ledger.example/", "https://upstream.example/"]);
    assert.ok(names.length >= 4 && names.slice(2).every((n) => n === ""), "blank rows follow for adding credits");
  });

  test("submitting the item's form stores the save with its item and the proposed chain", async () => {
    const b = await signIn(ctx, app);
    const { itemId } = await insertSourceItem(ctx, {
      sourceTitle: "Link Ledger",
      siteUrl: "https://ledger.example/",
      itemUrl: `${server.origin}/features/tape-archive`,
      itemTitle: "Tapes",
      html: `<p>h/t <a href="https://upstream.example/">Upstream Blog</a></p>`,
    });
    const page = await (await b.request(`/admin/save?item=${itemId}`)).text();
    const res = await b.form("/admin/saves", {
      url: inputValues(page, "url")[0],
      title: inputValues(page, "title")[0],
      itemId: inputValues(page, "itemId")[0],
      credit_name: inputValues(page, "credit_name"),
      credit_url: inputValues(page, "credit_url"),
    });
    assert.equal(res.status, 303);
    const id = Number(/saves\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
    assert.equal((await saveStore(ctx.db).byId(id))?.item_id, itemId);
    assert.equal((await saveStore(ctx.db).byId(id))?.title, "Tapes", "what the user submitted wins over the page");
    assert.deepEqual(await saveStore(ctx.db).credits(id), [
      { name: "Link Ledger", url: "https://ledger.example/" },
      { name: "Upstream Blog", url: "https://upstream.example/" },
    ]);
    const again = await (await b.request(`/admin/save?item=${itemId}`)).text();
    assert.match(again, new RegExp(`You saved this address before: <a href="/admin/saves/${id}">Tapes</a>`));
  });

  test("the Atom via link of an item becomes position 1", async () => {
    const b = await signIn(ctx, app);
    const { itemId } = await insertSourceItem(ctx, {
      sourceTitle: "Link Ledger",
      siteUrl: "https://ledger.example/",
      itemUrl: "https://article.example/story",
      itemTitle: "Story",
      html: "<p>No credits in the text.</p>",
      viaUrl: "https://upstream.example/post/1",
    });
    const page = await (await b.request(`/admin/save?item=${itemId}`)).text();
    assert.deepEqual(inputValues(page, "credit_url").slice(0, 2), [
      "https://ledger.example/",
      "https://upstream.example/post/1",
    ]);
  });

  test("the bookmarklet's page is prefilled from the query, with a selection as a quote", async () => {
    const b = await signIn(ctx, app);
    const page = await (
      await b.request(`/admin/save?url=${encodeURIComponent("https://x.example/a")}&title=Hello&text=Line%20one`)
    ).text();
    assert.deepEqual(inputValues(page, "url"), ["https://x.example/a"]);
    assert.deepEqual(inputValues(page, "title"), ["Hello"]);
    assert.match(page, /<textarea[^>]*name="blurb"[^>]*>&gt; Line one<\/textarea>/);
  });

  test("saving a URL fetches its metadata and text, strips tracking, and makes it searchable", async () => {
    const b = await signIn(ctx, app);
    const theme = await makeTheme(ctx, "Sound");
    const url = `${server.origin}/features/tape-archive?utm_source=rss&id=3`;
    const res = await b.form("/admin/saves", {
      url,
      title: "",
      blurb: "A **great** piece on archives.",
      themeIds: [theme],
      credit_name: ["Link Ledger", "", ""],
      credit_url: ["https://ledger.example/", "", ""],
    });
    assert.equal(res.status, 303);
    const location = res.headers.get("location") ?? "";
    assert.match(location, /^\/admin\/saves\/\d+\?msg=saved$/);
    const id = Number(/saves\/(\d+)/.exec(location)?.[1]);
    const save = await saveStore(ctx.db).byId(id);
    assert.ok(save);
    assert.equal(save.url, `${server.origin}/features/tape-archive?id=3`);
    assert.equal(save.title, "The Tape Archive That Saved a Scene");
    assert.equal(save.description, "How one basement of cassettes kept a city's music alive.");
    assert.equal(save.author_name, "Mara Okafor, Lee Chan");
    assert.equal(save.site_name, "Sound & Vision");
    assert.equal(save.canonical_url, `${server.origin}/features/tape-archive?page=2`);
    assert.match(save.page_text, /labelled shoeboxes/);
    assert.match(save.blurb_html, /<strong>great<\/strong>/);
    assert.equal(save.publish, 0);
    assert.deepEqual(await saveStore(ctx.db).credits(id), [{ name: "Link Ledger", url: "https://ledger.example/" }]);
    assert.deepEqual(await saveStore(ctx.db).themeIds(id), [theme]);

    const edit = await (await b.request(location)).text();
    assert.match(edit, /role="status">Saved\.</);
    assert.match(edit, /Mara Okafor, Lee Chan/);

    const found = await searchSaves(ctx.db, { q: "shoeboxes" });
    assert.equal(found.total, 1);
    assert.equal(found.hits[0].save.id, id);
    assert.match(found.hits[0].snippet, /<mark>shoeboxes<\/mark>/);
    const list = await (await b.request("/admin/saves?q=shoeboxes")).text();
    assert.match(list, /1 result for “shoeboxes”/);
    assert.match(list, /<mark>shoeboxes<\/mark>/);
    assert.equal((await searchSaves(ctx.db, { q: "nonexistentword" })).total, 0);
  });

  test("a page that cannot be read still saves what was typed, with a message", async () => {
    const b = await signIn(ctx, app);
    for (const [path, code, text] of [
      ["/broken", "http", "answered with an error"],
      ["/file.pdf", "not-html", "not a web page"],
    ] as const) {
      const res = await b.form("/admin/saves", { url: `${server.origin}${path}`, title: `Typed ${code}`, ...blank });
      assert.equal(res.status, 303);
      const location = res.headers.get("location") ?? "";
      assert.match(location, new RegExp(`fetch=${code}$`));
      const save = await saveStore(ctx.db).byId(Number(/saves\/(\d+)/.exec(location)?.[1]));
      assert.equal(save?.title, `Typed ${code}`);
      assert.equal(save?.page_text, "");
      assert.match(await (await b.request(location)).text(), new RegExp(text));
    }
  });

  test("with the SSRF guard on, a private address is not fetched but the save is kept", async () => {
    const guarded = await createTestContext({ allowPrivateFetch: false });
    try {
      const gApp = await createApp(guarded);
      const b = await signIn(guarded, gApp);
      const res = await b.form("/admin/saves", { url: `${server.origin}/features/tape-archive`, title: "", ...blank });
      assert.equal(res.status, 303);
      assert.match(res.headers.get("location") ?? "", /fetch=blocked$/);
      const [save] = await saveStore(guarded.db).list(5);
      assert.equal(save.title, `${server.origin}/features/tape-archive`, "the URL stands in for a missing title");
      assert.equal(save.page_text, "");
    } finally {
      await guarded.cleanup();
    }
  });

  test("bad input is refused with a message naming the field, and what was typed is kept", async () => {
    const b = await signIn(ctx, app);
    const cases: [Record<string, string | string[] | number[]>, RegExp][] = [
      [{ url: "", blurb: "my typed blurb" }, /address \(URL\) of the page to save is missing/],
      [
        { url: "not a url", blurb: "my typed blurb" },
        /address \(URL\) of the page to save &quot;not a url&quot; is not a web address/,
      ],
      [{ url: "javascript:alert(1)", blurb: "my typed blurb" }, /is not a web address/],
      [
        {
          url: "https://ok.example/",
          blurb: "my typed blurb",
          credit_name: ["A", "B", ""],
          credit_url: ["", "ftp:/x", ""],
        },
        /Credit 2&#39;s address &quot;ftp:\/x&quot; is not a web address/,
      ],
      [{ url: "https://ok.example/", blurb: "my typed blurb", publish: "1" }, /choose at least one theme to publish/],
    ];
    for (const [fields, message] of cases) {
      const res = await b.form("/admin/saves", { ...blank, ...fields });
      assert.equal(res.status, 422, `status for ${JSON.stringify(fields)}`);
      const page = await res.text();
      assert.match(page, message);
      assert.match(page, /class="field[^"]* has-error"/, "the field is marked");
      assert.match(page, /my typed blurb/, "the blurb is kept");
      if (Array.isArray(fields.credit_name)) assert.deepEqual(inputValues(page, "credit_name").slice(0, 2), ["A", "B"]);
    }
    assert.equal(await saveStore(ctx.db).count(), 0);
  });

  test("a form without the CSRF token is refused", async () => {
    const b = await signIn(ctx, app);
    const res = await b.form("/admin/saves", { url: "https://ok.example/", ...blank }, { csrf: false });
    assert.equal(res.status, 403);
    assert.equal(await saveStore(ctx.db).count(), 0);
  });

  test("edit, delete and undo", async () => {
    const b = await signIn(ctx, app);
    const theme = await makeTheme(ctx, "Sound");
    const created = await b.form("/admin/saves", { url: `${server.origin}/broken`, title: "First title", ...blank });
    const id = Number(/saves\/(\d+)/.exec(created.headers.get("location") ?? "")?.[1]);

    const edited = await b.form(`/admin/saves/${id}`, {
      url: `${server.origin}/broken`,
      title: "Second title",
      blurb: "Now with a blurb",
      themeIds: [theme],
      credit_name: ["Ana", "", "Bo"],
      credit_url: ["https://ana.example/", "", ""],
    });
    assert.equal(edited.status, 303);
    assert.equal(edited.headers.get("location"), `/admin/saves/${id}?msg=updated`);
    assert.deepEqual(await saveStore(ctx.db).credits(id), [
      { name: "Ana", url: "https://ana.example/" },
      { name: "Bo", url: "" },
    ]);

    const del = await b.form(`/admin/saves/${id}/delete`, {});
    assert.equal(del.status, 303);
    assert.equal(del.headers.get("location"), `/admin/saves?undo=${id}`);
    assert.equal(await saveStore(ctx.db).byId(id), undefined);
    const list = await (await b.request(`/admin/saves?undo=${id}`)).text();
    assert.match(list, /Deleted “Second title”\./);
    assert.match(list, new RegExp(`action="/admin/saves/${id}/undo"`));

    const undo = await b.form(`/admin/saves/${id}/undo`, {});
    assert.equal(undo.status, 303);
    assert.equal(undo.headers.get("location"), `/admin/saves/${id}?msg=restored`);
    const back = await saveStore(ctx.db).byId(id);
    assert.equal(back?.title, "Second title");
    assert.equal(back?.blurb_md, "Now with a blurb");
    assert.deepEqual(await saveStore(ctx.db).credits(id), [
      { name: "Ana", url: "https://ana.example/" },
      { name: "Bo", url: "" },
    ]);
    assert.deepEqual(await saveStore(ctx.db).themeIds(id), [theme]);
    assert.equal((await b.form(`/admin/saves/${id}/undo`, {})).status, 303, "a second undo is harmless");
    assert.equal(await saveStore(ctx.db).count(), 1);
    assert.equal((await b.form(`/admin/saves/${id + 100}/undo`, {})).status, 404);
  });

  test("the list shows saves newest first and the bookmarklet", async () => {
    const b = await signIn(ctx, app);
    ctx.setNow(new Date("2026-03-01T10:00:00Z"));
    await b.form("/admin/saves", { url: `${server.origin}/broken`, title: "Older save", ...blank });
    ctx.setNow(new Date("2026-03-02T10:00:00Z"));
    await b.form("/admin/saves", {
      url: `${server.origin}/file.pdf`,
      title: "Newer save",
      ...blank,
      credit_name: ["Ana", "Bo", ""],
    });
    const page = await (await b.request("/admin/saves")).text();
    assert.ok(page.indexOf("Newer save") < page.indexOf("Older save"));
    assert.match(page, /via Ana, who found it at Bo/);
    const href = /<a href="(javascript:[^"]+)">Save to Liner Notes<\/a>/.exec(page)?.[1] ?? "";
    assert.match(href, /http:\/\/127\.0\.0\.1:4321\/admin\/save\?url=/);
    assert.match(href, /encodeURIComponent\(location\.href\)/);
  });

  test("an author cannot change someone else's save", async () => {
    const owner = await signIn(ctx, app);
    const res = await owner.form("/admin/saves", { url: `${server.origin}/broken`, title: "Owner's", ...blank });
    const id = Number(/saves\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
    const author = await signIn(ctx, app, { role: "author" });
    assert.equal((await author.form(`/admin/saves/${id}/delete`, {})).status, 403);
    assert.ok(await saveStore(ctx.db).byId(id));
  });
});
