import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import sharp from "sharp";
import { createApp } from "../app.ts";
import { type Browser, signIn } from "../auth/testing.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { findMediaFile, listMedia, type MediaVariant, mediaDir, variantsOf } from "./media.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let author: Browser;
beforeEach(async () => {
  ctx = await createTestContext({ maxUploadBytes: 200_000 });
  app = await createApp(ctx);
  author = await signIn(ctx, app, { role: "author" });
});
afterEach(async () => ctx.cleanup());

/** A real image made with sharp, with EXIF metadata to be stripped. */
async function image(format: "png" | "jpeg" | "gif" | "webp" | "avif", width = 700, height = 400): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 20 } } })
    .withExif({ IFD0: { Artist: "Secret Person" } })
    .toFormat(format)
    .toBuffer();
}

const upload = (b: Browser, name: string, bytes: Buffer | string, type = "application/octet-stream") =>
  b.form("/admin/media", {
    file: new File([typeof bytes === "string" ? bytes : new Uint8Array(bytes)], name, { type }),
  });

const mimes = { png: "image/png", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp", avif: "image/avif" };

for (const format of ["png", "jpeg", "gif", "webp", "avif"] as const) {
  test(`a ${format.toUpperCase()} upload is accepted, resized, and served from /media`, async () => {
    // The name lies about the type: sniffing uses the bytes.
    const res = await upload(author, `photo-${format}.bin`, await image(format));
    assert.equal(res.status, 303, await res.clone().text());
    const [row] = await listMedia(ctx);
    assert.equal(row.mime, mimes[format]);
    assert.equal(row.width, 700);
    assert.equal(row.height, 400);
    assert.equal(row.original_name, `photo-${format}.bin`);
    const variants = variantsOf(row);
    assert.deepEqual(
      variants.map((v) => v.width),
      [320, 640, 700],
      "widths not exceeding the original, plus the original",
    );
    for (const v of variants) {
      const served = await app.request(`/media/${v.file}`);
      assert.equal(served.status, 200);
      assert.equal(served.headers.get("content-type"), v.mime);
      assert.equal(served.headers.get("cache-control"), "public, max-age=31536000, immutable");
      const etag = served.headers.get("etag");
      assert.ok(etag);
      const bytes = Buffer.from(await served.arrayBuffer());
      const meta = await sharp(bytes).metadata();
      assert.equal(meta.width, v.width);
      assert.equal(meta.exif, undefined, "metadata stripped");
      const again = await app.request(`/media/${v.file}`, { headers: { "if-none-match": etag } });
      assert.equal(again.status, 304);
    }
    assert.equal(variants.find((v) => v.width === 320)?.mime, "image/webp");
  });
}

test("a text file renamed .png is refused with 415 naming the file", async () => {
  const res = await upload(author, "notes.png", "this is not an image at all", "image/png");
  assert.equal(res.status, 415);
  assert.match(await res.text(), /&quot;notes\.png&quot; is not a JPEG, PNG, WebP, GIF or AVIF image/);
  assert.equal((await listMedia(ctx)).length, 0);
});

test("an unsupported image type (TIFF) is refused with 415", async () => {
  const tiff = await sharp({ create: { width: 10, height: 10, channels: 3, background: "#000" } })
    .tiff()
    .toBuffer();
  const res = await upload(author, "scan.tiff", tiff);
  assert.equal(res.status, 415);
  assert.match(await res.text(), /scan\.tiff/);
});

test("files over the limit are refused with 413, by actual size and by Content-Length", async () => {
  // Random noise does not compress: a PNG well over 200 kB.
  const noise = Buffer.alloc(300 * 300 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  const big = await sharp(noise, { raw: { width: 300, height: 300, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
  assert.ok(big.length > 200_000 && big.length < 200_000 + 256 * 1024, `size ${big.length}`);
  const res = await upload(author, "huge.png", big);
  assert.equal(res.status, 413);
  assert.match(await res.text(), /huge\.png/);

  const body = new Uint8Array(1_000_000);
  const byLength = await author.request("/admin/media", {
    method: "POST",
    body,
    headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(body.length) },
  });
  assert.equal(byLength.status, 413);
  assert.equal((await listMedia(ctx)).length, 0);
  assert.equal(fs.existsSync(mediaDir(ctx)) ? fs.readdirSync(mediaDir(ctx)).length : 0, 0);
});

test("a PDF is stored as <key>.pdf and served as application/pdf", async () => {
  const pdf = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
  const res = await upload(author, "Slides Deck.pdf", pdf, "application/pdf");
  assert.equal(res.status, 303);
  const [row] = await listMedia(ctx, { type: "pdf" });
  assert.equal(row.mime, "application/pdf");
  assert.deepEqual(variantsOf(row), [{ file: `${row.key}.pdf`, mime: "application/pdf" }] as MediaVariant[]);
  const served = await app.request(`/media/${row.key}.pdf`);
  assert.equal(served.status, 200);
  assert.equal(served.headers.get("content-type"), "application/pdf");
  assert.equal(await served.text(), pdf);
});

test("/media serves only files listed in media rows: no traversal, no strays", async () => {
  await upload(author, "a.png", await image("png", 100, 100));
  fs.writeFileSync(path.join(mediaDir(ctx), "stray.txt"), "TOP-SECRET-BYTES-42");
  fs.writeFileSync(path.join(ctx.config.dataDir, "secret.txt"), "TOP-SECRET-BYTES-42");
  const [row] = await listMedia(ctx);
  assert.ok(await findMediaFile(ctx, `${row.key}.png`));
  for (const name of [
    "../secret.txt",
    `${row.key}.txt`,
    `../media/${row.key}.png`,
    `.${row.key}.png`,
    `${row.key}-9.png`,
  ]) {
    assert.equal(await findMediaFile(ctx, name), null, name);
  }
  for (const p of [
    "/media/stray.txt",
    "/media/..%2Fsecret.txt",
    "/media/%2E%2E%2Fsecret.txt",
    "/media/../secret.txt",
    "/media/....//secret.txt",
    "/media/nope.png",
    "/media/",
  ]) {
    const res = await app.request(p);
    assert.equal(res.status, 404, p);
    assert.doesNotMatch(await res.text(), /TOP-SECRET-BYTES/, p);
  }
});

test("uploads need a signed-in user and a CSRF token", async () => {
  const anon = await app.request("/admin/media", { method: "POST" });
  assert.notEqual(anon.status, 200);
  const file = new File([new Uint8Array(await image("png", 50, 50))], "x.png");
  const noCsrf = await author.form("/admin/media", { file }, { csrf: false });
  assert.equal(noCsrf.status, 403);
  assert.equal((await listMedia(ctx)).length, 0);
});
