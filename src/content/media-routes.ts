/**
 * Public serving of uploaded media under /media/<file>. Files never change under a name (each
 * upload gets a fresh random key), so they are cached for a year as immutable.
 */
import fs from "node:fs/promises";
import { Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { findMediaFile } from "./media.ts";

/** Routes of uploaded media, at /media/<file>. */
export function mediaRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/media/:file", async (c) => {
    const found = await findMediaFile(ctx, c.req.param("file"));
    if (!found) return c.notFound();
    let body: Buffer;
    try {
      body = await fs.readFile(found.path);
    } catch {
      return c.notFound();
    }
    // The name is unique per content, so name + size is a strong validator without hashing the bytes.
    const etag = `"${c.req.param("file")}.${body.length.toString(36)}"`;
    const headers: Record<string, string> = {
      "Cache-Control": "public, max-age=31536000, immutable",
      ETag: etag,
      "Last-Modified": new Date(found.row.created_at).toUTCString(),
    };
    const inm = c.req.header("if-none-match");
    if (inm?.split(",").some((t) => t.trim() === etag || t.trim() === "*")) {
      return c.body(null, 304, headers);
    }
    headers["Content-Type"] = found.mime;
    headers["Content-Length"] = String(body.length);
    if (found.mime === "application/pdf") {
      const name = found.row.original_name.replace(/[^\w. -]/g, "_");
      headers["Content-Disposition"] = `inline; filename="${name}"`;
    }
    return c.body(new Uint8Array(body), 200, headers);
  });
  return app;
}
