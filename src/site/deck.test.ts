// test lanes: sqlite only
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { addMediaRow, savePost, systemActor } from "../content/testing.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { type Seeded, seedSite } from "./test-fixtures.ts";

let ctx: TestContext;
let s: Seeded;
beforeEach(async () => {
  ctx = await createTestContext();
  s = await seedSite(ctx);
});
afterEach(async () => ctx.cleanup());
const get = async (path: string) => {
  const res = await (await createApp(ctx)).request(path);
  return { res, body: await res.text() };
};

const addMedia = (key: string, variants: unknown[], mime: string) => addMediaRow(ctx, key, mime, variants);

test("a presentation shows every slide in the page, with controls for deck.js and its stylesheet", async () => {
  const { res, body } = await get("/posts/federation-in-ten-slides");
  assert.equal(res.status, 200);
  // All three slides are in the HTML: readable as a scrollable page without JS.
  assert.equal((body.match(/<section id="\d+"/g) ?? []).length, 3);
  assert.match(body, /<div class="deck" data-deck data-slides="3">/);
  assert.match(body, /<div class="deck-controls" hidden>/);
  assert.match(body, /<span data-deck-current>1<\/span> \/ <span>3<\/span>/);
  assert.match(body, /<script src="\/assets\/deck\.[0-9a-f]{10}\.js" defer><\/script>/);
  assert.match(body, /href="\/posts\/federation-in-ten-slides\/handout"/);
  assert.doesNotMatch(body, /style=|<style/);
  const cssHref = /<link rel="stylesheet" href="(\/posts\/federation-in-ten-slides\/deck\.css\?v=\d+)">/.exec(
    body,
  )?.[1];
  assert.ok(cssHref, "deck stylesheet linked");
  const css = await get(cssHref.replace(/&amp;/g, "&"));
  assert.equal(css.res.status, 200);
  assert.equal(css.res.headers.get("content-type"), "text/css; charset=utf-8");
  assert.match(css.res.headers.get("cache-control") ?? "", /immutable/);
  assert.match(css.body, /div\.marpit > svg > foreignObject > section/);
  const js = await get(/<script src="([^"]+)"/.exec(body)?.[1] ?? "");
  assert.match(js.res.headers.get("content-type") ?? "", /javascript/);
  assert.match(js.body, /ArrowRight/);
  assert.match(js.body, /PageDown/);
  assert.match(js.body, /touchend/);
});

test("the handout stacks all slides for print; decks of other kinds 404", async () => {
  const { res, body } = await get("/posts/federation-in-ten-slides/handout");
  assert.equal(res.status, 200);
  assert.equal((body.match(/<section id="\d+"/g) ?? []).length, 3);
  assert.match(body, /class="deck-stage handout-slides/);
  assert.match(body, /deck\.css\?v=/);
  assert.equal((await get("/posts/liner-notes-matter/handout")).res.status, 404);
  assert.equal((await get("/posts/liner-notes-matter/deck.css")).res.status, 404);
  assert.equal((await get("/posts/secret-draft/handout")).res.status, 404);
});

test("an attached PDF is offered for download and a cover image gets a srcset", async () => {
  const pdf = await addMedia("slides123", [{ file: "slides123.pdf", mime: "application/pdf" }], "application/pdf");
  const cover = await addMedia(
    "cov456",
    [
      { width: 480, file: "cov456-480.webp", mime: "image/webp" },
      { width: 960, file: "cov456-960.webp", mime: "image/webp" },
      { width: 1600, file: "cov456-1600.webp", mime: "image/webp" },
      { width: 1600, file: "cov456.jpg", mime: "image/jpeg" },
    ],
    "image/jpeg",
  );
  await savePost(
    ctx,
    systemActor,
    {
      kind: "presentation",
      title: "Federation in ten slides",
      body: s.deck.body_md,
      status: "published",
      themeIds: [s.web.id],
      pdfMediaId: pdf,
      coverMediaId: cover,
    },
    s.deck.id,
  );
  const { body } = await get("/posts/federation-in-ten-slides");
  assert.match(body, /<a href="\/media\/slides123.pdf" download>Download slides \(PDF\)<\/a>/);
  assert.match(
    body,
    /<img class="u-photo" src="\/media\/cov456-960.webp" srcset="\/media\/cov456-480.webp 480w, \/media\/cov456-960.webp 960w, \/media\/cov456-1600.webp 1600w"/,
  );
  assert.match(body, /width="960" height="540"/);
  assert.match(body, /<meta property="og:image" content="http:\/\/127.0.0.1:4321\/media\/cov456.jpg">/);
  const handout = await get("/posts/federation-in-ten-slides/handout");
  assert.match(handout.body, /href="\/media\/slides123.pdf"/);
});
