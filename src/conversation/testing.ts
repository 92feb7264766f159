/** Test support for the conversation module (and other modules' tests that need a conversation). */
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import type { AppEnv } from "../lib/http/env.ts";
import type { TestContext } from "../lib/testing.ts";

export { moderate } from "./moderate.ts";
export { itemStore } from "./store.ts";

/** A published article "hello" (one theme) and the app; the clock at 2026-03-01 10:00 UTC. */
export async function postWithApp(
  ctx: TestContext,
  body = "Hello world.",
): Promise<{ app: Hono<AppEnv>; postId: number; path: string }> {
  ctx.setNow(new Date("2026-03-01T10:00:00Z"));
  const theme = await saveTheme(ctx, { name: "Craft", slug: "craft" });
  const post = await savePost(ctx, systemActor, {
    kind: "article",
    title: "Hello",
    slug: "hello",
    body,
    themeIds: [theme.id],
    status: "published",
  });
  const app = await createApp(ctx);
  return { app, postId: post.id, path: "/posts/hello" };
}

/** Fill and send the comment form like a visitor: fetch the form's token, wait, post. */
export async function sendComment(
  ctx: TestContext,
  app: Hono<AppEnv>,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  const { t } = (await (await app.request("/comments/token")).json()) as { t: string };
  ctx.setNow(new Date(ctx.now().getTime() + 5000));
  return app.request("/comments", {
    method: "POST",
    body: new URLSearchParams({ t, ...fields }),
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
  });
}
