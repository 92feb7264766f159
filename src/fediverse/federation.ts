/**
 * The site's Fedify federation, one per context: its key–value store and message queue on our
 * database, its document loaders on our guarded fetcher, and the one actor (the site's owner,
 * `@handle@host`), with WebFinger and NodeInfo. Activities in and out come in later steps.
 */
import { createFederation, type Federation } from "@fedify/fedify";
import { Endpoints, Image, Person, PropertyValue } from "@fedify/vocab";
import { getSiteSettings } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { keyPairs } from "./keys.ts";
import { dbKvStore } from "./kv.ts";
import { guardedLoader } from "./loader.ts";
import { jobsMessageQueue } from "./queue.ts";
import { accountStore } from "./store.ts";

/** The one actor's identifier in URLs (its handle can change; its URI must not). */
export const ACTOR = "owner";

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

function makeFederation(app: AppContext): Federation<AppContext> {
  const loader = guardedLoader(app);
  const federation = createFederation<AppContext>({
    kv: dbKvStore(app),
    queue: jobsMessageQueue(app),
    // Listening is started where jobs run (jobs.ts), not in every web process.
    manuallyStartQueue: true,
    origin: app.config.baseUrl,
    // Our fetcher decides what may be reached (LINER_ALLOW_PRIVATE_FETCH) and names us.
    documentLoaderFactory: () => loader,
    contextLoaderFactory: () => loader,
  });

  federation
    .setActorDispatcher("/ap/actor/{identifier}", async (ctx, identifier) => {
      if (identifier !== ACTOR) return null;
      const [site, keys] = await Promise.all([getSiteSettings(ctx.data), ctx.getActorKeyPairs(identifier)]);
      const { handle } = await accountStore(ctx.data.db).settings();
      const home = `${ctx.data.config.baseUrl}/`;
      const photo = site.author.photoUrl ? new URL(site.author.photoUrl, home) : undefined;
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: handle,
        name: site.author.name || site.title,
        summary: site.author.bio || site.description || null,
        url: new URL(home),
        icon: photo ? new Image({ url: photo }) : null,
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        // The site link, which the site's own page confirms with rel="me".
        attachments: [new PropertyValue({ name: "Website", value: `<a href="${home}" rel="me">${home}</a>` })],
        publicKey: keys[0]?.cryptographicKey,
        assertionMethods: keys.map((k) => k.multikey),
      });
    })
    .setKeyPairsDispatcher(async (ctx, identifier) => (identifier === ACTOR ? keyPairs(ctx.data) : []))
    .mapHandle(async (ctx, username) => {
      const { handle } = await accountStore(ctx.data.db).settings();
      return username.toLowerCase() === handle.toLowerCase() ? ACTOR : null;
    });

  federation.setInboxListeners("/ap/actor/{identifier}/inbox", "/ap/inbox");

  federation.setNodeInfoDispatcher("/nodeinfo/2.1", async () => ({
    software: { name: "liner-notes", version: "0.1.0" },
    protocols: ["activitypub"],
    usage: { users: { total: 1, activeMonth: 1, activeHalfyear: 1 }, localPosts: 0, localComments: 0 },
  }));
  return federation;
}
