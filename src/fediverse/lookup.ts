/**
 * Reading remote objects for the reader's follows through our guarded loader only: Fedify's
 * `lookupObject` falls back to a WebFinger request outside our fetcher when a document cannot be
 * loaded, so follows and outboxes read documents here instead.
 */
import type { Context } from "@fedify/fedify";
import { Object as ASObject, type DocumentLoader } from "@fedify/vocab";
import type { AppContext } from "../lib/context.ts";
import { ACTOR } from "./actor.ts";
import { federationOf } from "./federation.ts";

export type Ctx = Context<AppContext>;

/** A context of the site's federation (for sending as the site's actor and for its loaders). */
export const contextOf = (app: AppContext): Ctx => federationOf(app).createContext(new URL(app.config.baseUrl), app);

/** Loaders for documents fetched as the site's actor (signed: some servers answer only those). */
export async function loadersOf(ctx: Ctx): Promise<{ documentLoader: DocumentLoader; contextLoader: DocumentLoader }> {
  return { documentLoader: await ctx.getDocumentLoader({ identifier: ACTOR }), contextLoader: ctx.contextLoader };
}

/**
 * The object at `url`. Throws what the loader throws (unreachable, not JSON, HTTP errors); null
 * when its id is on another server than the document that claims it (a forgery).
 */
export async function fetchObject(
  url: string,
  load: { documentLoader: DocumentLoader; contextLoader: DocumentLoader },
): Promise<ASObject | null> {
  const doc = await load.documentLoader(url);
  const object = await ASObject.fromJsonLd(doc.document, { ...load, baseUrl: new URL(doc.documentUrl) });
  return object.id && object.id.origin !== new URL(doc.documentUrl).origin ? null : object;
}
