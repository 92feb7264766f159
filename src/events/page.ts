/** The events module's block in a post page: an event's h-event, JSON-LD and registration form. */
import type { AppContext } from "../lib/context.ts";
import type { PageBlock } from "../lib/module.ts";
import { assetUrl, loadChrome } from "../site/index.ts";
import { availability, hasStarted } from "./service.ts";
import { eventStore } from "./store.ts";
import { eventBlock, eventHeader } from "./views/public.ts";

/** The event block of a post, or undefined when the post has no event details. */
export async function eventBlockFor(
  ctx: AppContext,
  post: { id: number; kind: string },
): Promise<PageBlock | undefined> {
  if (post.kind !== "event") return undefined;
  const ev = await eventStore(ctx.db).byPostWithPost(post.id);
  if (!ev) return undefined;
  const [a, chrome] = await Promise.all([availability(ctx, ev), loadChrome(ctx)]);
  const started = hasStarted(ev, ctx.now());
  return {
    html: eventBlock({ ev, availability: a, settings: chrome.settings, baseUrl: chrome.baseUrl, started }),
    // Readers of an event page want its date, not when it was announced.
    header: eventHeader(ev, chrome.settings.language),
    // The page is cached, so the registration form gets its token from this script.
    scripts: started ? [] : [assetUrl("form-token.js")],
  };
}
