/** The hook the post page calls for an event: its block (h-event, JSON-LD, the form), if it has one. */
import type { AppContext } from "../lib/context.ts";
import { loadChrome } from "../site/service.ts";
import type { H } from "../lib/html.ts";
import { availability, hasStarted } from "./service.ts";
import { eventStore } from "./store.ts";
import { eventBlock } from "./views/public.ts";

/** The event block of a post, or undefined when the post has no event details. */
export async function eventBlockFor(ctx: AppContext, post: { id: number; kind: string }): Promise<H | undefined> {
  if (post.kind !== "event") return undefined;
  const ev = await eventStore(ctx.db).byPostWithPost(post.id);
  if (!ev) return undefined;
  const [a, chrome] = await Promise.all([availability(ctx, ev), loadChrome(ctx)]);
  return eventBlock({
    ev,
    availability: a,
    settings: chrome.settings,
    baseUrl: chrome.baseUrl,
    started: hasStarted(ev, ctx.now()),
  });
}
