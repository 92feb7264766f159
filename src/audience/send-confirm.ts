/**
 * The one confirmation before a bulk send ("Send to 12 subscribers of New articles? [Send] [Back]"),
 * shared by emailing a post and sending a digest. It is a page of its own, so it works without
 * JavaScript; its Send button posts the same lists again with `confirm=1`.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../lib/http/env.ts";
import { csrfField, page } from "../lib/ui/layout.ts";
import { emptyListsWarning, type SendTargets, sendQuestion } from "./lists.ts";

/** What the confirmation page shows and where its buttons go. */
export interface SendConfirm {
  /** What is sent, for the title ("the digest “Week 10”"). */
  what: string;
  targets: SendTargets;
  /** Where Send posts (with `lists` and `confirm=1`). */
  action: string;
  /** Where Back leads (the form, with everything typed already saved). */
  back: string;
  /** Admin navigation section to mark. */
  section: string;
  /** Other choices made on the form that the Send button carries along (`countOpens`, say). */
  hidden?: Record<string, string>;
}

/** Render the confirmation step. */
export function sendConfirmPage(c: Context<AppEnv>, d: SendConfirm) {
  const question = sendQuestion(d.targets);
  const warning = emptyListsWarning(d.targets.lists);
  return page(
    c,
    { title: `Send ${d.what}?`, section: d.section },
    html`<h1>Send ${d.what}?</h1>
<form method="post" action="${d.action}" class="stack send-confirm">
  ${csrfField(c)}
  ${d.targets.lists.map((l) => html`<input type="hidden" name="lists" value="${l.slug}">`)}
  ${Object.entries(d.hidden ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
  <input type="hidden" name="confirm" value="1">
  <p class="send-question"><strong>${question}</strong></p>
  <ul>${d.targets.lists.map(
    (l) =>
      html`<li>${l.name}: ${l.confirmed} confirmed ${l.confirmed === 1 ? "subscriber" : "subscribers"}${l.is_public ? "" : " (private)"}</li>`,
  )}</ul>
  ${d.targets.lists.length > 1 ? html`<p class="hint">An address on several of these lists gets it once.</p>` : ""}
  ${warning ? html`<p class="field-error warning" role="alert">${warning}</p>` : ""}
  <div class="actions"><button type="submit" class="primary">Send</button> <a class="button" href="${d.back}">Back</a></div>
</form>`,
  );
}
