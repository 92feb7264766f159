/**
 * The "Sent before" table of the "Email this post" page: each send and test of the post with its
 * date, lists, recipients, link clicks and (when counted) opens, and a link to its delivery
 * progress under Email. Clicks and opens are the audience module's counts, so they are shown
 * here rather than on /admin/mail (the mail module sits below audience and cannot ask for them).
 */
import { html } from "hono/html";
import type { Html } from "../lib/ui/layout.ts";

/** What the table needs of a send (a mail_sends row). */
export interface SendSummary {
  id: number;
  kind: string;
  list_ids: string;
  total: number;
  created_at: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The history table, or nothing when the post was never sent. */
export function sendHistory(
  sends: SendSummary[],
  lists: { id: number; name: string }[],
  clicks: Map<number, number>,
  opens: Map<number, number>,
): Html | "" {
  if (sends.length === 0) return "";
  const names = new Map(lists.map((l) => [l.id, l.name]));
  const listsOf = (s: SendSummary) =>
    s.kind === "test"
      ? "Test message"
      : (JSON.parse(s.list_ids) as number[]).map((id) => names.get(id) ?? `list ${id}`).join(", ");
  return html`<h2 id="sent-before">Sent before</h2>
<table class="list" aria-labelledby="sent-before">
<thead><tr><th scope="col">Date</th><th scope="col">Lists</th><th scope="col">Recipients</th><th scope="col">Clicks</th><th scope="col">Opens</th><th scope="col"><span class="visually-hidden">Delivery</span></th></tr></thead>
<tbody>${sends.map(
    (s) => html`<tr><td>${s.created_at.slice(0, 16).replace("T", " ")} UTC</td><td>${listsOf(s)}</td><td>${s.total}</td>
<td class="clicks">${s.kind === "post" ? plural(clicks.get(s.id) ?? 0, "click") : "not counted"}</td><td class="opens">${
      opens.has(s.id) ? plural(opens.get(s.id) ?? 0, "open") : "not counted"
    }</td><td><a href="/admin/mail#sends">Progress<span class="visually-hidden"> of send #${s.id}</span></a></td></tr>`,
  )}</tbody></table>
<p class="hint">Clicks are counted per link, never per person. Opens are not tracked (no tracking pixel) unless you turn it on for a send. Delivery progress is under <a href="/admin/mail#sends">Email</a>.</p>`;
}
