/** Issue 13, item 7 (image memory) and item 6 for uploads (a read-only database): the upload's limits. */
import assert from "node:assert/strict";
import fs from "node:fs";
import { afterEach, beforeEach, test } from "node:test";
import zlib from "node:zlib";
import type { Hono } from "hono";
import sharp from "sharp";
import { createApp } from "../app.ts";
import { type Browser, signIn } from "../auth/testing.ts";
import { injectFault } from "../lib/db/faults.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { listMedia, mediaDir } from "./media.ts";
import { inUploadQueue, resetUploadQueuePeak, UPLOAD_CONCURRENCY, uploadQueueStats } from "./upload-queue.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let author: Browser;
beforeEach(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
  author = await signIn(ctx, app, { role: "author" });
});
afterEach(async () => ctx.cleanup());

const upload = (name: string, bytes: Buffer) =>
  author.form("/admin/media", { file: new File([new Uint8Array(bytes)], name) });
const mediaFiles = () => (fs.existsSync(mediaDir(ctx)) ? fs.readdirSync(mediaDir(ctx)) : []);

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A tiny PNG file that declares `width`×`height` pixels: what a decompression bomb looks like to the header check. */
function pngDeclaring(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // 8-bit greyscale
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(Buffer.alloc(width + 1))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

test("an image over 40 megapixels is refused from its header, before decoding, with its size and the limit", async () => {
  const res = await upload("image.png", pngDeclaring(10_000, 10_000));
  assert.equal(res.status, 400);
  assert.match(
    await res.text(),
    /&quot;image\.png&quot; is 10000×10000 \(100 megapixels\); the limit is 40 megapixels\. Use a smaller image\./,
  );
  const justOver = await upload("wide.png", pngDeclaring(8_000, 5_001));
  assert.equal(justOver.status, 400);
  assert.match(await justOver.text(), /is 8000×5001 \(40\.1 megapixels\); the limit is 40 megapixels/);
  // The editor's paste/drop upload gets the same message as JSON.
  const json = await author.form(
    "/admin/media",
    { file: new File([new Uint8Array(pngDeclaring(10_000, 10_000))], "pasted.png") },
    { headers: { accept: "application/json" } },
  );
  assert.equal(json.status, 400);
  assert.match((await json.json()).error, /"pasted\.png" is 10000×10000 \(100 megapixels\)/);
  assert.equal((await listMedia(ctx)).length, 0);
  assert.deepEqual(mediaFiles(), []);
});

test("the upload queue runs two at a time and the rest in arrival order", async () => {
  resetUploadQueuePeak();
  const gates: (() => void)[] = [];
  const started: number[] = [];
  const runs = Array.from({ length: 6 }, (_, i) =>
    inUploadQueue(async () => {
      started.push(i);
      await new Promise<void>((resolve) => gates.push(resolve));
      return i;
    }),
  );
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1]);
  assert.deepEqual(uploadQueueStats(), { active: 2, waiting: 4, peak: 2 });
  for (let done = 0; done < 6; done++) {
    gates.shift()?.();
    await new Promise((r) => setImmediate(r));
  }
  assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5], "first come, first served");
  assert.deepEqual(uploadQueueStats(), { active: 0, waiting: 0, peak: 2 });
  await assert.rejects(
    inUploadQueue(() => Promise.reject(new Error("bad image"))),
    /bad image/,
  );
  assert.equal(uploadQueueStats().active, 0, "a failed upload gives its slot back");
});

test("six uploads at once: at most two are decoded at a time, and all six are stored", async () => {
  const png = await sharp({ create: { width: 1400, height: 1000, channels: 3, background: "#c85014" } })
    .png()
    .toBuffer();
  resetUploadQueuePeak();
  const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => upload(`photo-${i}.png`, png)));
  assert.deepEqual(
    responses.map((r) => r.status),
    [303, 303, 303, 303, 303, 303],
  );
  assert.equal(uploadQueueStats().peak, UPLOAD_CONCURRENCY);
  assert.equal((await listMedia(ctx)).length, 6);
});

/** A 700×400 black PNG. */
const blackPng = () =>
  sharp({ create: { width: 700, height: 400, channels: 3, background: "#000" } })
    .png()
    .toBuffer();

/** Run `fn` while writes to the media table fail as on a read-only database. */
async function whileMediaIsReadOnly(fn: () => Promise<Response>): Promise<Response> {
  const undo = await injectFault(ctx.db, "read-only", "media");
  try {
    return await fn();
  } finally {
    await undo();
  }
}

test("an upload into a read-only database: 503 naming it, and no file is left behind", async () => {
  const png = await blackPng();
  const res = await whileMediaIsReadOnly(() => upload("photo.png", png));
  assert.equal(res.status, 503);
  const where = ctx.db.dialect === "sqlite" ? "liner\\.db" : "the PostgreSQL database \\S+ on \\S+";
  assert.match(
    await res.text(),
    new RegExp(`The server could not save: \\S*${where} is read-only\\. Nothing was changed\\.`),
  );
  assert.equal((await listMedia(ctx)).length, 0);
  assert.deepEqual(mediaFiles(), [], "the resized files written before the insert failed are removed");
});

test("the editor's paste/drop upload meeting a read-only database gets the reason as JSON", async () => {
  const png = await blackPng();
  const res = await whileMediaIsReadOnly(() =>
    author.form(
      "/admin/media",
      { file: new File([new Uint8Array(png)], "pasted.png"), alt: "A black rectangle" },
      { headers: { accept: "application/json" } },
    ),
  );
  assert.equal(res.status, 503);
  assert.match((await res.json()).error, /^The server could not save: .+ is read-only\. Nothing was changed\.$/);
  assert.deepEqual(mediaFiles(), []);
});
