/**
 * Accessible form controls: every control has a label; hints and errors are tied to it with
 * aria-describedby, and an error marks it aria-invalid and sits right next to it.
 */
import { html } from "hono/html";
import type { Html } from "./layout.ts";

/** Field errors by form field name. */
export type FieldErrors = Record<string, string>;

interface Common {
  name: string;
  label: string;
  id?: string;
  hint?: string;
  errors?: FieldErrors;
  required?: boolean;
}

function describedBy(id: string, hint?: string, error?: string): Html {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return ids ? html` aria-describedby="${ids}"` : html``;
}

function notes(id: string, hint?: string, error?: string): Html {
  return html`${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ""}${
    error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ""
  }`;
}

/** A labelled `<input>`. */
export function input(
  o: Common & { value?: string | number | null; type?: string; autocomplete?: string; extra?: Html },
): Html {
  const id = o.id ?? `f-${o.name}`;
  const error = o.errors?.[o.name];
  return html`<div class="field${error ? " has-error" : ""}">
  <label for="${id}">${o.label}${o.required ? html` <span class="req">(required)</span>` : ""}</label>
  ${notes(id, o.hint, error)}
  <input id="${id}" name="${o.name}" type="${o.type ?? "text"}" value="${o.value ?? ""}"${
    o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ""
  }${o.required ? html` required` : ""}${error ? html` aria-invalid="true"` : ""}${describedBy(id, o.hint, error)}${o.extra ?? ""}>
</div>`;
}

/** A labelled `<textarea>`. */
export function textarea(o: Common & { value?: string; rows?: number; extraClass?: string; extra?: Html }): Html {
  const id = o.id ?? `f-${o.name}`;
  const error = o.errors?.[o.name];
  return html`<div class="field${error ? " has-error" : ""}${o.extraClass ? ` ${o.extraClass}` : ""}">
  <label for="${id}">${o.label}${o.required ? html` <span class="req">(required)</span>` : ""}</label>
  ${notes(id, o.hint, error)}
  <textarea id="${id}" name="${o.name}" rows="${o.rows ?? 4}"${o.required ? html` required` : ""}${
    error ? html` aria-invalid="true"` : ""
  }${describedBy(id, o.hint, error)}${o.extra ?? ""}>${o.value ?? ""}</textarea>
</div>`;
}

/** A labelled `<select>`. */
export function select(
  o: Common & { value?: string | number | null; options: { value: string | number; label: string }[] },
): Html {
  const id = o.id ?? `f-${o.name}`;
  const error = o.errors?.[o.name];
  return html`<div class="field${error ? " has-error" : ""}">
  <label for="${id}">${o.label}</label>
  ${notes(id, o.hint, error)}
  <select id="${id}" name="${o.name}"${error ? html` aria-invalid="true"` : ""}${describedBy(id, o.hint, error)}>
    ${o.options.map(
      (opt) =>
        html`<option value="${opt.value}"${String(opt.value) === String(o.value ?? "") ? html` selected` : ""}>${opt.label}</option>`,
    )}
  </select>
</div>`;
}

/** A fieldset of checkboxes sharing a name. */
export function checkboxes(
  o: Common & { values: (string | number)[]; options: { value: string | number; label: string }[] },
): Html {
  const id = o.id ?? `f-${o.name}`;
  const error = o.errors?.[o.name];
  const chosen = new Set(o.values.map(String));
  return html`<fieldset class="field checks${error ? " has-error" : ""}" id="${id}"${describedBy(id, o.hint, error)}>
  <legend>${o.label}</legend>
  ${notes(id, o.hint, error)}
  ${
    o.options.length
      ? o.options.map(
          (opt, i) =>
            html`<div class="check"><input type="checkbox" id="${id}-${i}" name="${o.name}" value="${opt.value}"${
              chosen.has(String(opt.value)) ? html` checked` : ""
            }><label for="${id}-${i}">${opt.label}</label></div>`,
        )
      : html`<p class="hint">None yet.</p>`
  }
</fieldset>`;
}

/** A ValidationError's message as a sentence for people: no "field: " prefix, a capital first letter. */
export function messageForPeople(err: { message: string; field?: string }): string {
  const { message } = fieldErrorOf(err);
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** Turn a ValidationError's field (and message prefix "field: ") into a form field error. */
export function fieldErrorOf(err: { message: string; field?: string }, aliases: Record<string, string> = {}) {
  const m = /^([\w.]+): (.*)$/s.exec(err.message);
  const raw = err.field ?? m?.[1] ?? "";
  // The longest dotted prefix with an alias wins ("author.links.0.url" → "author.links").
  const segs = raw.split(".");
  let field = segs[0];
  for (let n = segs.length; n > 0; n--) {
    const alias = aliases[segs.slice(0, n).join(".")];
    if (alias) {
      field = alias;
      break;
    }
  }
  let message = m && (m[1] === raw || m[1] === err.field) ? m[2] : err.message;
  if (message.startsWith(`${field}: `)) message = message.slice(field.length + 2);
  return { field, message };
}
