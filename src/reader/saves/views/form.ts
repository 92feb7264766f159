/**
 * The save form: URL, title, blurb, themes, credit rows (a few blank ones, so adding a credit
 * needs no JavaScript) and the publish checkbox. Used for new saves and for editing.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { ThemeRow } from "../../../content/index.ts";
import type { AppEnv } from "../../../lib/http/env.ts";
import { checkboxes, type FieldErrors, input, textarea } from "../../../lib/ui/form.ts";
import { csrfField, type Html } from "../../../lib/ui/layout.ts";
import type { Credit } from "../credits.ts";

/** The form's values as strings (what was typed, so nothing is lost on an error). */
export interface SaveFormValues {
  url: string;
  title: string;
  blurb: string;
  themeIds: string[];
  credits: Credit[];
  publish: boolean;
  itemId: string;
}

export const emptyValues: SaveFormValues = {
  url: "",
  title: "",
  blurb: "",
  themeIds: [],
  credits: [],
  publish: false,
  itemId: "",
};

/** Blank credit rows shown after the filled ones (at least this many rows in all, plus two). */
const MIN_ROWS = 3;
const BLANK_ROWS = 2;

function creditRow(i: number, c: Credit, errors: FieldErrors): Html {
  const nameErr = errors[`credits.${i}.name`];
  const urlErr = errors[`credits.${i}.url`];
  const cell = (kind: "name" | "url", label: string, value: string, err: string | undefined) => {
    const id = `f-credit-${kind}-${i}`;
    return html`<div class="field${err ? " has-error" : ""}">
    <label for="${id}">${label}</label>
    ${err ? html`<p class="field-error" id="${id}-error">${err}</p>` : ""}
    <input id="${id}" name="credit_${kind}" type="${kind === "url" ? "url" : "text"}" value="${value}"${
      err ? html` aria-invalid="true" aria-describedby="${id}-error"` : ""
    }${kind === "url" ? html` inputmode="url" placeholder="https://"` : ""}>
  </div>`;
  };
  const label = i === 0 ? "Read it in" : i === 1 ? "Who found it at" : `Then at (${i + 1})`;
  return html`<li class="credit-row">
  ${cell("name", `${label}: name`, c.name, nameErr)}
  ${cell("url", `${label}: address`, c.url, urlErr)}
</li>`;
}

/** The credit chain as editable rows, nearest first. */
function creditRows(credits: Credit[], errors: FieldErrors): Html {
  const rows = [...credits];
  // Blank rows submitted with the form come back as the padding below, not on top of it.
  while (rows.length && !rows[rows.length - 1].name.trim() && !rows[rows.length - 1].url.trim()) rows.pop();
  const total = Math.max(MIN_ROWS, rows.length + BLANK_ROWS);
  while (rows.length < total) rows.push({ name: "", url: "" });
  const err = errors.credits;
  return html`<fieldset class="field credits${err ? " has-error" : ""}" aria-describedby="f-credits-hint">
  <legend>Liner notes (credits)</legend>
  <p class="hint" id="f-credits-hint">Who led you to this link, nearest first: where you read it, then where they found it.
  Published saves show them as “via A, who found it at B”. Leave rows empty to skip them.</p>
  ${err ? html`<p class="field-error">${err}</p>` : ""}
  <ol class="credit-rows">${rows.map((c, i) => creditRow(i, c, errors))}</ol>
</fieldset>`;
}

/** The whole form. `action` is where it posts; `submit` the button label. */
export function saveForm(
  c: Context<AppEnv>,
  o: { action: string; values: SaveFormValues; errors: FieldErrors; themes: ThemeRow[]; submit: string },
): Html {
  const v = o.values;
  const errors = o.errors;
  return html`<form method="post" action="${o.action}" class="stack save-form" novalidate>
  ${csrfField(c)}
  ${v.itemId ? html`<input type="hidden" name="itemId" value="${v.itemId}">` : ""}
  ${input({ name: "url", label: "Address (URL)", type: "url", value: v.url, required: true, errors, autocomplete: "url" })}
  ${input({ name: "title", label: "Title", value: v.title, hint: "Leave empty to use the page's own title.", errors })}
  ${textarea({
    name: "blurb",
    label: "Blurb (Markdown)",
    value: v.blurb,
    rows: 5,
    hint: "A few sentences on why it is worth reading. Shown with the link when published.",
    errors,
  })}
  ${checkboxes({
    name: "themeIds",
    label: "Themes",
    values: v.themeIds,
    options: o.themes.map((t) => ({ value: t.id, label: t.name })),
    hint: "Published saves appear on these themes' pages and feeds.",
    errors,
  })}
  ${creditRows(v.credits, errors)}
  <div class="field check">
    <input type="checkbox" id="f-publish" name="publish" value="1"${v.publish ? html` checked` : ""} aria-describedby="f-publish-hint">
    <label for="f-publish">Publish on the site as a link post</label>
    <p class="hint" id="f-publish-hint">Turn off to take it off the site again; the save stays here.</p>
  </div>
  <div class="actions"><button type="submit" class="primary">${o.submit}</button></div>
</form>`;
}
