/**
 * Subscribing with double opt-in, confirming, unsubscribing in one click, and the recipients of
 * a list for a send. A subscription row is also the consent record: the promise as shown, the
 * page it was given on, when it was asked for and confirmed. Nothing but the confirmation is
 * sent to an address until it is confirmed.
 */

import { contentChanged, getSiteSettings, isSlug, postAtPath, slugify } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { NotFoundError, ValidationError } from "../lib/errors.ts";
import type { ReaderRequest } from "../lib/module.ts";
import { signToken, verifyToken } from "../lib/tokens.ts";
import { normalizeEmail, queueTransactional, type Recipient, withdrawMail } from "../mail/index.ts";
import { addedEmail, andList, confirmationEmail } from "./confirm-email.ts";
import { audienceStore, type ListRow } from "./store.ts";
import { perSubscriberClicks, promiseAsShown } from "./tracking.ts";

/** Confirmation links work for a week. */
const CONFIRM_TTL_MS = 7 * 24 * 3600_000;

export interface NewList {
  slug?: string;
  name: string;
  promise?: string;
  isPublic?: boolean;
}

/** Longest list name: it is shown in tables, checkboxes and email footers. */
export const LIST_NAME_MAX = 120;
/** Longest promise: it is shown under the list at signup and kept with every consent. */
export const LIST_PROMISE_MAX = 1000;

/** A list's name and promise, trimmed; a ValidationError naming the field when empty or too long. */
export function checkListText(rawName: string, rawPromise: string): { name: string; promise: string } {
  const name = rawName.trim();
  if (!name) throw new ValidationError("A list needs a name.", { field: "name" });
  if (name.length > LIST_NAME_MAX)
    throw new ValidationError(`The name is ${name.length} characters long; at most ${LIST_NAME_MAX}.`, {
      field: "name",
    });
  const promise = rawPromise.trim();
  if (promise.length > LIST_PROMISE_MAX)
    throw new ValidationError(`The promise is ${promise.length} characters long; at most ${LIST_PROMISE_MAX}.`, {
      field: "promise",
    });
  return { name, promise };
}

/** Create a list; the slug comes from the name when not given. */
export async function createList(ctx: AppContext, input: NewList): Promise<ListRow> {
  const { name, promise } = checkListText(input.name, input.promise ?? "");
  const slug = input.slug?.trim() || slugify(name);
  if (!isSlug(slug)) throw new ValidationError(`“${slug}” is not a valid slug (a-z, 0-9 and -).`, { field: "slug" });
  const store = audienceStore(ctx.db);
  if (await store.listBySlug(slug)) throw new ValidationError(`There is already a list “${slug}”.`, { field: "slug" });
  const list = await store.createList({
    slug,
    name,
    promise,
    is_public: input.isPublic === false ? 0 : 1,
    created_at: ctx.now().toISOString(),
  });
  // Public lists appear in the form after every post: cached pages must be rendered again.
  if (list.is_public) await contentChanged(ctx);
  return list;
}

/** The public lists with their promise as the signup form shows it (and consents keep it). */
export async function shownLists(ctx: AppContext): Promise<ListRow[]> {
  const perSubscriber = await perSubscriberClicks(ctx);
  return (await audienceStore(ctx.db).publicLists()).map((l) => ({
    ...l,
    promise: promiseAsShown(l.promise, perSubscriber),
  }));
}

/** Links a subscriber gets in every email of a list. */
export function listLinks(ctx: AppContext, subscriptionId: number, subscriberId: number) {
  const t = signToken(ctx.secret, "unsubscribe", String(subscriptionId));
  return {
    unsubscribe_url: `${ctx.config.baseUrl}/unsubscribe/${t}`,
    preferences_url: preferencesUrl(ctx, subscriberId),
  };
}

/** The link to a subscriber's preferences page (every list, one form). It does not expire. */
export function preferencesUrl(ctx: AppContext, subscriberId: number): string {
  return `${ctx.config.baseUrl}/preferences/${signToken(ctx.secret, "preferences", String(subscriberId))}`;
}

export interface SubscribeRequest {
  email: string;
  name?: string;
  /** Public list slugs the visitor ticked. */
  lists: string[];
  /** The page the form was on. */
  sourcePage: string;
}

/**
 * Record a request and send one confirmation email for the lists not yet confirmed. The caller
 * answers the same whatever happens here, so nobody can learn who is subscribed.
 */
export async function requestSubscription(
  ctx: AppContext,
  req: SubscribeRequest,
  reader?: ReaderRequest,
): Promise<void> {
  const email = normalizeEmail(req.email);
  const store = audienceStore(ctx.db);
  const lists = (await shownLists(ctx)).filter((l) => req.lists.includes(l.slug));
  if (lists.length === 0) throw new ValidationError("Choose at least one list to subscribe to.", { field: "lists" });
  const at = ctx.now().toISOString();
  const subscriberId = await store.subscriberFor(email, (req.name ?? "").trim().slice(0, 200), at);
  const pending: number[] = [];
  const names: string[] = [];
  const listNames: string[] = [];
  for (const list of lists) {
    const existing = await store.subscription(subscriberId, list.id);
    if (existing?.status === "confirmed") continue;
    pending.push(
      await store.putSubscription({
        subscriber_id: subscriberId,
        list_id: list.id,
        status: "pending",
        promise_shown: list.promise,
        source: "form",
        source_page: req.sourcePage.slice(0, 500),
        requested_at: at,
        confirmed_at: null,
        unsubscribed_at: null,
      }),
    );
    names.push(`${list.name}${list.promise ? ` (${list.promise})` : ""}`);
    listNames.push(list.name);
  }
  if (pending.length === 0) return;
  // The visit that asked is the one that led to it: kept now, counted once confirmed.
  await ctx.host.emit(ctx, "outcome", {
    kind: "subscription",
    who: `subscriber:${subscriberId}`,
    // Subscribed under a post: the post gets the credit.
    postId: (await postAtPath(ctx, req.sourcePage))?.id,
    reader,
    pending: true,
  });
  const token = signToken(ctx.secret, "confirm", pending.join(","), ctx.now().getTime() + CONFIRM_TTL_MS);
  const link = `${ctx.config.baseUrl}/subscribe/confirm/${token}`;
  const { title: siteTitle } = await getSiteSettings(ctx);
  await queueTransactional(ctx, {
    to: email,
    subscriberId,
    ...confirmationEmail(email, names.join("; "), link, { names: andList(listNames), siteTitle }),
  });
}

const badConfirmLink = () =>
  new NotFoundError("This confirmation link is not valid or has expired. Subscribe again to get a new one.");

/** The lists a confirmation link is for, without confirming (the page with the button). */
export async function confirmationLists(ctx: AppContext, token: string): Promise<ListRow[]> {
  const payload = verifyToken(ctx.secret, "confirm", token, ctx.now().getTime());
  if (!payload) throw badConfirmLink();
  const store = audienceStore(ctx.db);
  const listIds: number[] = [];
  for (const id of payload.split(",").map(Number)) {
    const s = await store.subscriptionById(id);
    if (s) listIds.push(s.list_id);
  }
  if (listIds.length === 0) throw badConfirmLink();
  return store.listsByIds(listIds);
}

/** Confirm the subscriptions of a confirmation link; returns the lists now confirmed. */
export async function confirmSubscription(ctx: AppContext, token: string, reader?: ReaderRequest): Promise<ListRow[]> {
  const payload = verifyToken(ctx.secret, "confirm", token, ctx.now().getTime());
  if (!payload) throw badConfirmLink();
  const store = audienceStore(ctx.db);
  const ids = payload.split(",").map(Number);
  const listIds: number[] = [];
  const confirm: number[] = [];
  let subscriberId = 0;
  for (const id of ids) {
    const s = await store.subscriptionById(id);
    if (!s) continue;
    listIds.push(s.list_id);
    subscriberId = s.subscriber_id;
    if (s.status === "pending") confirm.push(id);
  }
  await store.setStatus(confirm, { status: "confirmed", confirmed_at: ctx.now().toISOString(), unsubscribed_at: null });
  const lists = await store.listsByIds(listIds);
  // A subscription confirmed now (not a second click on the link) is an outcome of the writing.
  if (confirm.length)
    await ctx.host.emit(ctx, "outcome", {
      kind: "subscription",
      who: `subscriber:${subscriberId}`,
      reader,
      note: lists.map((l) => l.name).join(", "),
    });
  return lists;
}

/** The subscription an unsubscribe link is for (its list and address), or NotFoundError. */
export async function unsubscribeTarget(ctx: AppContext, token: string) {
  const payload = verifyToken(ctx.secret, "unsubscribe", token, ctx.now().getTime());
  const store = audienceStore(ctx.db);
  const sub = payload ? await store.subscriptionById(Number(payload)) : undefined;
  if (!sub) throw new NotFoundError("This unsubscribe link is not valid.");
  const [list] = await store.listsByIds([sub.list_id]);
  return { sub, list };
}

/** Unsubscribe at once, withdrawing mail of that list still waiting in the outbox (also mid-send). */
export async function unsubscribe(ctx: AppContext, token: string): Promise<ListRow> {
  const { sub, list } = await unsubscribeTarget(ctx, token);
  if (sub.status !== "unsubscribed") {
    await audienceStore(ctx.db).setStatus([sub.id], {
      status: "unsubscribed",
      unsubscribed_at: ctx.now().toISOString(),
    });
  }
  await withdrawMail(ctx, sub.subscriber_id, sub.list_id, "unsubscribed");
  return list;
}

/** Add an address by hand (owner, CLI): confirmed at once, or pending with a confirmation email. */
export async function addSubscriber(
  ctx: AppContext,
  input: { email: string; list: string; confirmed: boolean; source: string },
): Promise<{ subscriberId: number; status: "confirmed" | "pending" }> {
  const email = normalizeEmail(input.email);
  const store = audienceStore(ctx.db);
  const list = await requireList(ctx, input.list);
  const at = ctx.now().toISOString();
  const subscriberId = await store.subscriberFor(email, "", at);
  const status = input.confirmed ? "confirmed" : "pending";
  const id = await store.putSubscription({
    subscriber_id: subscriberId,
    list_id: list.id,
    status,
    promise_shown: list.promise,
    source: input.source,
    source_page: "",
    requested_at: at,
    confirmed_at: input.confirmed ? at : null,
    unsubscribed_at: null,
  });
  if (!input.confirmed) {
    const link = `${ctx.config.baseUrl}/subscribe/confirm/${signToken(ctx.secret, "confirm", String(id), ctx.now().getTime() + CONFIRM_TTL_MS)}`;
    const { title: siteTitle } = await getSiteSettings(ctx);
    await queueTransactional(ctx, { to: email, subscriberId, ...addedEmail(list.name, link, siteTitle) });
  }
  return { subscriberId, status };
}

/** The confirmed recipients of lists, each with their own unsubscribe link. */
export async function listRecipients(ctx: AppContext, listIds: number[]): Promise<Recipient[]> {
  const store = audienceStore(ctx.db);
  const out: Recipient[] = [];
  for (const listId of listIds) {
    for (const r of await store.confirmedOf(listId)) {
      out.push({
        email: r.email as string,
        subscriberId: r.subscriber_id,
        listId,
        vars: { ...listLinks(ctx, r.subscription_id, r.subscriber_id), name: r.name },
      });
    }
  }
  return out;
}

/** The list the demo adds on first start. */
export const DEMO_LIST = {
  slug: "articles",
  name: "New articles",
  promise: "New articles, about twice a month. Nothing else. Unsubscribe in one click.",
} as const;

/** The demo's public list, so a new site shows the subscribe form after posts and at /subscribe. */
export async function ensureDemoList(ctx: AppContext): Promise<void> {
  if (await audienceStore(ctx.db).listBySlug("articles")) return;
  await createList(ctx, DEMO_LIST);
}

/** The list with this slug, or a ValidationError naming it and the slugs there are (under `field`). */
export async function requireList(ctx: AppContext, slug: string, field = "list"): Promise<ListRow> {
  const list = await audienceStore(ctx.db).listBySlug(slug);
  if (!list) throw new ValidationError(await noSuchList(ctx, slug), { field });
  return list;
}

/** "There is no list “x”; lists: a, b." — so a typo on the CLI or in a URL shows what to type instead. */
export async function noSuchList(ctx: AppContext, slug: string): Promise<string> {
  const slugs = (await audienceStore(ctx.db).allLists()).map((l) => l.slug);
  return `There is no list “${slug}”; ${slugs.length ? `lists: ${slugs.join(", ")}` : "there are no lists yet (liner lists add, or Lists in the admin)"}.`;
}

/** The lists with these slugs, in order: at least one, each of them known. */
export async function requireLists(ctx: AppContext, slugs: string[], field = "list"): Promise<ListRow[]> {
  if (slugs.length === 0) throw new ValidationError("Choose at least one list.", { field });
  const lists: ListRow[] = [];
  for (const slug of slugs) lists.push(await requireList(ctx, slug, field));
  return lists;
}

/** Every list, public and private, oldest first. */
export const allLists = (ctx: AppContext): Promise<ListRow[]> => audienceStore(ctx.db).allLists();
