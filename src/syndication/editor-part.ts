/**
 * Syndication's part of the post editor: each connected account as a target, ticked for the kinds
 * the owner chose (Settings → Accounts), with the text that goes there (shown once the post is
 * saved; editable, and kept as edited) and an optional time of its own. Copies already sent show
 * where they are. Sending happens when the post is published (events.ts) or at the target's time.
 */
import { html } from "hono/html";
import { coverImageOf, postById, postPath } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import type { EditorPart } from "../lib/module.ts";
import { webFetch } from "../lib/net/web-fetch.ts";
import { getTimeZone } from "../lib/settings/time-zone.ts";
import { fromLocalInput, toLocalInput } from "../lib/time.ts";
import type { FieldErrors } from "../lib/ui/form.ts";
import { PLATFORM_NAMES, SYNDICATED_KINDS } from "./kinds.ts";
import { instanceLimits } from "./mastodon.ts";
import { credentialOf } from "./secrets.ts";
import { graphemes, MAX_THREAD_PARTS, mastodonLength, threadParts } from "./shape.ts";
import { type ShareLink, shareLinks } from "./share.ts";
import { type AccountRow, accountStore, copyStore } from "./store.ts";

const LIMITS: Record<string, { max: number; count: (s: string) => number; unit: string }> = {
  bluesky: { max: 300, count: graphemes, unit: "characters (graphemes)" },
  linkedin: { max: 3000, count: (s) => [...s].length, unit: "characters" },
};

interface Target {
  id: number;
  platform: string;
  handle: string;
  /** Kinds whose editor starts with it ticked. */
  kinds: string[];
  /** Sent already: where (not editable any more). */
  sentUrl?: string;
  /** The last send failed: the copy, the post and the platform's message ("Retry now"). */
  failed?: { copyId: number; postId: number; error: string };
  /** Mastodon: the instance's limit and what a link counts (read from the instance). */
  limit?: { max: number; urlLength: number };
  /** A sent copy: its id, and whether the post changed after it went (offer to update or delete it). */
  sent?: { copyId: number; postId: number; stale: boolean; error?: string };
}

/** One target's choice, as checked. */
export interface TargetChoice {
  accountId: number;
  /** Ticked: to be sent; unticked: kept off (the choice is remembered). */
  on: boolean;
  text: string;
  sendAt: string | null;
  /** Mastodon: the content warning, if any. */
  contentWarning: string | null;
  /** Bluesky: a long text goes as a thread. */
  asThread: boolean;
}

const kindsOf = (a: AccountRow): string[] => {
  try {
    return JSON.parse(a.default_kinds) as string[];
  } catch {
    return [];
  }
};

async function accountValues(ctx: AppContext, postId?: number) {
  const accounts = await accountStore(ctx.db).list();
  const copies = postId ? await copyStore(ctx.db).ofPost(postId) : [];
  const post = postId && copies.some((c) => c.status === "sent") ? await postById(ctx, postId) : undefined;
  const targets: Target[] = accounts.map((a) => {
    const copy = copies.find((c) => c.account_id === a.id);
    const sentUrl = copy?.status === "sent" ? (copy.url ?? undefined) : undefined;
    const failed =
      copy?.status === "failed" ? { copyId: copy.id, postId: copy.post_id, error: copy.last_error ?? "" } : undefined;
    const sent =
      copy?.status === "sent"
        ? {
            copyId: copy.id,
            postId: copy.post_id,
            stale: !!post && !!copy.sent_at && post.updated_at > copy.sent_at,
            error: copy.last_error ?? undefined,
          }
        : undefined;
    return { id: a.id, platform: a.platform, handle: a.handle, kinds: kindsOf(a), sentUrl, failed, sent };
  });
  for (const [i, a] of accounts.entries())
    if (a.platform === "mastodon") targets[i].limit = await mastodonLimit(ctx, a);
  const values: Record<string, string> = { syndAccounts: JSON.stringify(targets) };
  // Copies link to the post at the site's address: one only this machine reaches helps nobody.
  if (/^(localhost|127\.|\[::1\]|0\.0\.0\.0)/.test(new URL(ctx.config.baseUrl).host))
    values.syndLocalBase = ctx.config.baseUrl;
  return { accounts, copies, values };
}

/** The instance's character limit, when it can be read now (else the send finds out). */
async function mastodonLimit(ctx: AppContext, a: AccountRow): Promise<Target["limit"]> {
  try {
    const l = await instanceLimits(webFetch(ctx.fetcher), { instance: a.service_url, token: credentialOf(ctx, a) });
    return { max: l.maxCharacters, urlLength: l.urlLength };
  } catch {
    return undefined;
  }
}

const targetsOf = (values: Record<string, string> | undefined): Target[] => {
  try {
    const v = JSON.parse(values?.syndAccounts ?? "[]");
    return Array.isArray(v) ? v.filter((t) => Number.isInteger(t?.id)) : [];
  } catch {
    return [];
  }
};

/** The targets of a post, in the editor. */
export const syndicationEditorPart: EditorPart<TargetChoice[]> = {
  async load(ctx, postId, tz) {
    const { accounts, copies, values } = await accountValues(ctx, postId);
    values.syndTz = tz;
    const post = await postById(ctx, postId);
    const out = post?.status === "published" && !!post.published_at && post.published_at <= ctx.now().toISOString();
    if (post && out) values.syndShare = JSON.stringify(await shareOf(ctx, post));
    if (!accounts.length) return values;
    // Nothing chosen for this post yet. A post already out stays as it is (saving a typo fix in
    // an old post must not send it anywhere); one not yet out starts with the defaults.
    if (!copies.length) return out ? values : undefined;
    for (const c of copies) {
      values[`synd_${c.account_id}`] = c.status === "off" || c.status === "deleted" ? "" : "1";
      // A copy deleted there starts afresh: its old words are not the owner's choice any more.
      values[`syndText_${c.account_id}`] = c.status === "deleted" ? "" : c.text;
      values[`syndAt_${c.account_id}`] = c.send_at ? toLocalInput(c.send_at, tz) : "";
      values[`syndCw_${c.account_id}`] = c.content_warning ?? "";
      values[`syndThread_${c.account_id}`] = c.as_thread ? "1" : "";
    }
    return values;
  },
  async defaults(ctx) {
    const { values } = await accountValues(ctx);
    values.syndTz = await getTimeZone(ctx);
    // Ticked by the post's kind when the form is drawn (fieldset): the kind is chosen in the form.
    values.syndFresh = "1";
    return values;
  },
  fromForm(field) {
    const values: Record<string, string> = {
      syndAccounts: field("syndAccounts"),
      syndTz: field("syndTz"),
      syndLocalBase: field("syndLocalBase"),
    };
    for (const t of targetsOf(values)) {
      values[`synd_${t.id}`] = field(`synd_${t.id}`) === "1" ? "1" : "";
      values[`syndText_${t.id}`] = field(`syndText_${t.id}`).replace(/\r\n?/g, "\n");
      values[`syndAt_${t.id}`] = field(`syndAt_${t.id}`);
      values[`syndCw_${t.id}`] = field(`syndCw_${t.id}`).trim();
      values[`syndThread_${t.id}`] = field(`syndThread_${t.id}`) === "1" ? "1" : "";
    }
    return values;
  },
  check(kind, values, errors: FieldErrors, tz) {
    if (!SYNDICATED_KINDS.includes(kind)) return undefined;
    const chosen: TargetChoice[] = [];
    for (const t of targetsOf(values)) {
      if (t.sentUrl) continue;
      const on = values?.[`synd_${t.id}`] === "1";
      const text = (values?.[`syndText_${t.id}`] ?? "").trim();
      const asThread = t.platform === "bluesky" && values?.[`syndThread_${t.id}`] === "1";
      const limit = LIMITS[t.platform];
      const parts = asThread ? threadParts(text).length : 1;
      if (on && asThread && parts > MAX_THREAD_PARTS)
        errors[`syndText_${t.id}`] =
          `As a thread this is ${parts} posts; at most ${MAX_THREAD_PARTS} go out: shorten the text.`;
      else if (on && !asThread && limit && text && limit.count(text) > limit.max)
        errors[`syndText_${t.id}`] =
          `This is ${limit.count(text)} ${limit.unit}; ${PLATFORM_NAMES[t.platform]} takes at most ${limit.max}` +
          (t.platform === "bluesky" ? " (or tick “as a thread”)." : ".");
      if (on && t.limit && text && mastodonLength(text, t.limit.urlLength) > t.limit.max)
        errors[`syndText_${t.id}`] =
          `This is ${mastodonLength(text, t.limit.urlLength)} characters (a link counts ${t.limit.urlLength}); this Mastodon instance takes at most ${t.limit.max}.`;
      const cw = t.platform === "mastodon" ? (values?.[`syndCw_${t.id}`] ?? "").trim() : "";
      if (cw.length > 500)
        errors[`syndCw_${t.id}`] = `The content warning is ${cw.length} characters; keep it under 500.`;
      const at = values?.[`syndAt_${t.id}`] ?? "";
      const sendAt = at ? fromLocalInput(at, tz) : null;
      if (at && !sendAt) errors[`syndAt_${t.id}`] = `“${at}” is not a date and time.`;
      chosen.push({
        accountId: t.id,
        on,
        text,
        sendAt: sendAt ? sendAt.toISOString() : null,
        contentWarning: cw || null,
        asThread,
      });
    }
    return Object.keys(errors).some((k) => k.startsWith("synd")) ? null : chosen;
  },
  async save(ctx, postId, chosen) {
    const { saveTargets } = await import("./targets.ts");
    await saveTargets(ctx, postId, chosen);
  },
  fieldset(values, errors, kind) {
    const targets = targetsOf(values);
    if (!SYNDICATED_KINDS.includes(kind)) return html``;
    const share = shareBlock(values?.syndShare);
    if (!targets.length) return share;
    const ticked = (t: Target) =>
      values?.syndFresh === "1" ? t.kinds.includes(kind) : values?.[`synd_${t.id}`] === "1";
    return html`${share}<fieldset class="syndication">
  <legend>Also post to</legend>
  ${values?.syndLocalBase ? html`<p class="field-error">Copies would link to ${values.syndLocalBase}, which only this machine reaches: set LINER_BASE_URL to the site's public address first.</p>` : ""}
  <input type="hidden" name="syndAccounts" value="${values?.syndAccounts ?? "[]"}">
  <input type="hidden" name="syndTz" value="${values?.syndTz ?? ""}">
  <input type="hidden" name="syndLocalBase" value="${values?.syndLocalBase ?? ""}">
  ${targets.map((t) => {
    const name = `${PLATFORM_NAMES[t.platform] ?? t.platform} (${t.handle})`;
    if (t.sentUrl) return sentTarget(t, name, values);
    // Inside the editor's form: the button posts the form's CSRF token to its own address.
    const failed = t.failed
      ? html`<p class="field-error">Not sent: ${t.failed.error}</p>
    <button type="submit" formaction="/admin/syndication/copies/${t.failed.copyId}/retry" formmethod="post" formnovalidate name="postId" value="${t.failed.postId}">Retry now</button>`
      : "";
    const textError = errors[`syndText_${t.id}`];
    const atError = errors[`syndAt_${t.id}`];
    return html`<div class="field synd-target">
    <label><input type="checkbox" name="synd_${t.id}" value="1"${ticked(t) ? html` checked` : ""}> ${name}</label>
    ${failed}
    <label for="syndText_${t.id}">Text for ${PLATFORM_NAMES[t.platform] ?? t.platform}</label>
    <p class="hint" id="syndText_${t.id}-hint">Empty: made from the post when it goes out, shaped to ${PLATFORM_NAMES[t.platform] ?? t.platform}'s limits. Edited: sent as you leave it.</p>
    ${textError ? html`<p class="field-error" id="syndText_${t.id}-error">${textError}</p>` : ""}
    <textarea id="syndText_${t.id}" name="syndText_${t.id}" rows="4" aria-describedby="syndText_${t.id}-hint${textError ? ` syndText_${t.id}-error` : ""}"${textError ? html` aria-invalid="true"` : ""}>${values?.[`syndText_${t.id}`] ?? ""}</textarea>
    <label for="syndAt_${t.id}">Send at (${values?.syndTz || "the site's time zone"}; empty: with the post)</label>
    ${atError ? html`<p class="field-error" id="syndAt_${t.id}-error">${atError}</p>` : ""}
    <input type="datetime-local" id="syndAt_${t.id}" name="syndAt_${t.id}" value="${values?.[`syndAt_${t.id}`] ?? ""}"${atError ? html` aria-invalid="true"` : ""}>
    ${optionFields(t, values, errors)}
  </div>`;
  })}
</fieldset>`;
  },
};

/** A platform's own options: Mastodon's content warning; a Bluesky thread when the text is long. */
function optionFields(t: Target, values: Record<string, string> | undefined, errors: FieldErrors) {
  if (t.platform === "mastodon") {
    const err = errors[`syndCw_${t.id}`];
    return html`<label for="syndCw_${t.id}">Content warning (optional: Mastodon hides the text behind it)</label>
    ${err ? html`<p class="field-error" id="syndCw_${t.id}-error">${err}</p>` : ""}
    <input id="syndCw_${t.id}" name="syndCw_${t.id}" maxlength="500" value="${values?.[`syndCw_${t.id}`] ?? ""}"${err ? html` aria-invalid="true" aria-describedby="syndCw_${t.id}-error"` : ""}>`;
  }
  if (t.platform === "bluesky")
    return html`<label><input type="checkbox" name="syndThread_${t.id}" value="1"${values?.[`syndThread_${t.id}`] === "1" ? html` checked` : ""}> As a thread when the text is over 300 (each post up to 300, at most ${MAX_THREAD_PARTS})</label>`;
  return "";
}

/**
 * A copy that went: where it is, what it says, and, once the post has changed since, an offer to
 * bring the copy up to date (where the platform allows edits) or to delete it: links to pages of
 * their own, so that nothing typed in the editor is lost to them.
 */
function sentTarget(t: Target, name: string, values: Record<string, string> | undefined) {
  const link = html`<a href="${t.sentUrl}">${t.sentUrl}</a>`;
  const s = t.sent;
  if (!s) return html`<p>${name}: sent, ${link}</p>`;
  const platform = PLATFORM_NAMES[t.platform] ?? t.platform;
  const now = values?.[`syndText_${t.id}`] ?? "";
  return html`<div class="field synd-target synd-sent">
    <p>${name}: sent, ${link}</p>
    ${now ? html`<blockquote class="copy-text">${now}</blockquote>` : ""}
    ${s.error ? html`<p class="field-error">Not changed: ${s.error}</p>` : ""}
    ${s.stale ? html`<p class="hint">The post changed after this copy went out.</p>` : ""}
    <p>${
      t.platform === "bluesky"
        ? html`<span class="hint">${platform} has no edits: delete the copy, then tick it again to send the post as it is now.</span>`
        : html`<a class="button" href="/admin/syndication/copies/${s.copyId}/update">Update the copy…</a>`
    } <a class="button danger" href="/admin/syndication/copies/${s.copyId}/delete">Delete the copy…</a></p>
  </div>`;
}

/** The post's share links, for the owner to click (a published post only). */
async function shareOf(ctx: AppContext, post: NonNullable<Awaited<ReturnType<typeof postById>>>): Promise<ShareLink[]> {
  const url = new URL(postPath(post), ctx.config.baseUrl).href;
  const cover = await coverImageOf(ctx, post);
  const image = cover ? new URL(cover.src, ctx.config.baseUrl).href : undefined;
  return shareLinks({ kind: post.kind, title: post.title, summary: post.summary, text: post.body_text, url }, image);
}

function shareBlock(json: string | undefined) {
  let links: ShareLink[] = [];
  try {
    links = json ? (JSON.parse(json) as ShareLink[]) : [];
  } catch {
    return html``;
  }
  if (!links.length) return html``;
  const items = links.map(
    (l, i) => html`${i ? " · " : ""}<a href="${l.href}" target="_blank" rel="noopener noreferrer">${l.name}</a>`,
  );
  return html`<p class="share-intents">Share it elsewhere (opens the site, prefilled): ${items}</p>`;
}
