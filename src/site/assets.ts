/**
 * Static assets under `src/site/static/`, read once at start-up and served at
 * `/assets/<name>.<hash>.<ext>`: the content hash in the URL lets browsers keep them for a year.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import type { Context } from "hono";
import type { AppEnv } from "../lib/http/env.ts";
import { pickEncoding } from "./cache.ts";

interface Asset {
  url: string;
  hash: string;
  type: string;
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
}

const types: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

const dir = path.join(import.meta.dirname, "static");
const assets = new Map<string, Asset>();
for (const file of fs.readdirSync(dir)) {
  const ext = path.extname(file);
  const type = types[ext];
  if (!type) continue;
  const body = fs.readFileSync(path.join(dir, file));
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 10);
  const url = `/assets/${path.basename(file, ext)}.${hash}${ext}`;
  assets.set(file, { url, hash, type, body, gzip: gzipSync(body), br: brotliCompressSync(body), etag: `"${hash}"` });
}

/** The versioned URL of an asset, e.g. assetUrl("site.css") → /assets/site.1a2b3c4d5e.css */
export function assetUrl(file: string): string {
  const a = assets.get(file);
  if (!a) throw new Error(`unknown asset ${file}`);
  return a.url;
}

/** Serve `/assets/:name`: the hashed name is immutable; the plain name is kept short-lived. */
export function serveAsset(c: Context<AppEnv>, name: string): Response | null {
  const m = /^([\w-]+)(?:\.([0-9a-f]{10}))?(\.\w+)$/.exec(name);
  if (!m) return null;
  const a = assets.get(`${m[1]}${m[3]}`);
  if (!a || (m[2] !== undefined && m[2] !== a.hash)) return null;
  const headers: Record<string, string> = {
    "Content-Type": a.type,
    "Cache-Control": m[2] ? "public, max-age=31536000, immutable" : "public, max-age=300",
    ETag: a.etag,
    Vary: "Accept-Encoding",
  };
  if (c.req.header("if-none-match") === a.etag) return new Response(null, { status: 304, headers });
  const enc = pickEncoding(c.req.header("accept-encoding"));
  if (enc) headers["Content-Encoding"] = enc;
  const body = enc === "br" ? a.br : enc === "gzip" ? a.gzip : a.body;
  return new Response(body as Uint8Array<ArrayBuffer>, { headers });
}
