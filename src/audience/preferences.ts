/**
 * The preferences page every email links to: one form with every public list (and any private
 * list the person is on), ticked where they are subscribed. The signed link proves the address,
 * so ticking a public list subscribes at once, with the consent kept like a form's (the promise
 * as shown, source "preferences page"). Unticking unsubscribes at once and withdraws mail of that
 * list still waiting in the outbox.
 */
import type { AppContext } from "../lib/context.ts";
import { NotFoundError } from "../lib/errors.ts";
import { verifyToken } from "../lib/tokens.ts";
import { withdrawMail } from "../mail/index.ts";
import { audienceStore, type ListRow } from "./store.ts";

export interface PreferenceRow {
  list: ListRow;
  subscribed: boolean;
}

export interface Preferences {
  subscriberId: number;
  email: string;
  rows: PreferenceRow[];
}

async function subscriberOf(ctx: AppContext, token: string) {
  const payload = verifyToken(ctx.secret, "preferences", token, ctx.now().getTime());
  const person = payload ? await audienceStore(ctx.db).subscriberById(Number(payload)) : undefined;
  if (!person?.email) throw new NotFoundError("This preferences link is not valid.");
  return { id: person.id, email: person.email };
}

/** The lists offered on the page and which ones the person is on. */
export async function loadPreferences(ctx: AppContext, token: string): Promise<Preferences> {
  const person = await subscriberOf(ctx, token);
  const store = audienceStore(ctx.db);
  const subs = await store.subscriptionsOf(person.id);
  const active = new Set(subs.filter((s) => s.status !== "unsubscribed").map((s) => s.list_id));
  const rows = (await store.allLists())
    .filter((l) => l.is_public || active.has(l.id))
    .map((list) => ({ list, subscribed: active.has(list.id) }));
  return { subscriberId: person.id, email: person.email, rows };
}

/** Apply the ticked list slugs; returns the page's rows after the change. */
export async function savePreferences(ctx: AppContext, token: string, wanted: string[]): Promise<Preferences> {
  const prefs = await loadPreferences(ctx, token);
  const store = audienceStore(ctx.db);
  const at = ctx.now().toISOString();
  for (const { list, subscribed } of prefs.rows) {
    const want = wanted.includes(list.slug);
    if (want && !subscribed && list.is_public) {
      await store.putSubscription({
        subscriber_id: prefs.subscriberId,
        list_id: list.id,
        status: "confirmed",
        promise_shown: list.promise,
        source: "preferences page",
        source_page: "/preferences",
        requested_at: at,
        confirmed_at: at,
        unsubscribed_at: null,
      });
    } else if (!want && subscribed) {
      const sub = await store.subscription(prefs.subscriberId, list.id);
      if (sub) await store.setStatus([sub.id], { status: "unsubscribed", unsubscribed_at: at });
      await withdrawMail(ctx, prefs.subscriberId, list.id, "unsubscribed");
    }
  }
  return loadPreferences(ctx, token);
}
