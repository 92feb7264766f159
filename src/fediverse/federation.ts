/**
 * The site's Fedify federation, one per context: its key–value store and message queue on our
 * database, its document loaders on our guarded fetcher, the one actor (`@handle@host`) with its
 * collections, WebFinger and NodeInfo, and the inbox. Loaded on first use (routes.ts, outgoing.ts).
 */
import { createExponentialBackoffPolicy, createFederation, type Federation, kvCache } from "@fedify/fedify";
import type { AppContext } from "../lib/context.ts";
import { setupActor } from "./actor.ts";
import { federatedPostCount, setupCollections } from "./collections.ts";
import { setupInbox } from "./inbox.ts";
import { dbKvStore } from "./kv.ts";
import { type DocumentMemory, guardedLoader, remembered } from "./loader.ts";
import { jobsMessageQueue } from "./queue.ts";
import { followerStore } from "./relations-store.ts";

export { ACTOR } from "./actor.ts";

const federations = new WeakMap<AppContext, Federation<AppContext>>();

/** The federation of a context (made once). */
export function federationOf(ctx: AppContext): Federation<AppContext> {
  let f = federations.get(ctx);
  if (!f) {
    f = makeFederation(ctx);
    federations.set(ctx, f);
  }
  return f;
}

/**
 * Deliveries back off from a minute to twelve hours between tries, 16 tries in all: a server that
 * is down is given up after about three days, not minutes (Fedify's default gives up in ~20 min).
 */
export const deliveryRetries = createExponentialBackoffPolicy({
  initialDelay: { minutes: 1 },
  maxDelay: { hours: 12 },
  maxAttempts: 16,
});

function makeFederation(app: AppContext): Federation<AppContext> {
  const kv = dbKvStore(app);
  // Remote documents are kept a few minutes in the key–value store (Fedify's rules), shared by
  // every process: a burst of activities from one account fetches its actor once.
  const loader = kvCache({ loader: guardedLoader(app), kv });
  const signedDocs: DocumentMemory = new Map();
  const federation = createFederation<AppContext>({
    kv,
    queue: jobsMessageQueue(app),
    // Listening is started where jobs run (jobs.ts), not in every web process.
    manuallyStartQueue: true,
    origin: app.config.baseUrl,
    // Our fetcher decides what may be reached (LINER_ALLOW_PRIVATE_FETCH) and names us.
    documentLoaderFactory: () => loader,
    contextLoaderFactory: () => loader,
    // Fetches made for an inbox or as the actor (keys, authors) are signed, through the same guard.
    // Kept a minute in this process's memory: an account's burst of activities fetches it once.
    authenticatedDocumentLoaderFactory: (identity) => remembered(guardedLoader(app, identity), signedDocs),
    outboxRetryPolicy: deliveryRetries,
    onOutboxError: (error, activity) =>
      app.log.debug("fediverse: a delivery failed (it will be tried again)", {
        activity: activity?.id?.href,
        error: String(error),
      }),
  });
  setupActor(federation);
  setupCollections(federation);
  setupInbox(federation);
  // An inbox that answers 404 or 410 is gone for good: its accounts follow no more.
  federation.setOutboxPermanentFailureHandler(async (ctx, failure) => {
    const at = ctx.data.now().toISOString();
    for (const id of failure.actorIds) await followerStore(ctx.data.db).remove({ actorUri: id.href }, at, "gone");
  });
  federation.setNodeInfoDispatcher("/nodeinfo/2.1", async (ctx) => ({
    software: { name: "liner-notes", version: "0.1.0" },
    protocols: ["activitypub"],
    usage: {
      users: { total: 1, activeMonth: 1, activeHalfyear: 1 },
      localPosts: await federatedPostCount(ctx.data),
      localComments: 0,
    },
  }));
  return federation;
}
