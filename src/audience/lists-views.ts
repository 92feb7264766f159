/** The Lists admin pages: every list with its counts and a "New list" form; one list's edit form. */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../lib/http/env.ts";
import { type FieldErrors, input, textarea } from "../lib/ui/form.ts";
import { csrfField, type Html, page } from "../lib/ui/layout.ts";
import { LIST_NAME_MAX, LIST_PROMISE_MAX } from "./service.ts";
import type { ListRow } from "./store.ts";
import type { ListCounts } from "./subscribers.ts";

/** A list form's values as shown (stored, or as submitted when they had an error). */
export interface ListValues {
  slug?: string;
  name: string;
  promise: string;
  isPublic: boolean;
}

const publicBox = (on: boolean) =>
  html`<div class="check"><input type="checkbox" id="f-public" name="public" value="1"${on ? html` checked` : ""} aria-describedby="f-public-hint"><label for="f-public">Public</label></div>
<p class="hint" id="f-public-hint">Public lists are offered at /subscribe and after every post. A private list (a team list) is filled by you only.</p>`;

const promiseField = (v: ListValues, errors: FieldErrors) =>
  textarea({
    name: "promise",
    label: "Promise",
    value: v.promise,
    rows: 2,
    hint: "Shown at signup and kept with every consent, e.g. “New articles, about twice a month. Nothing else.”",
    errors,
    extra: html` maxlength="${LIST_PROMISE_MAX}"`,
  });

const nameField = (v: ListValues, errors: FieldErrors) =>
  input({
    name: "name",
    label: "Name",
    value: v.name,
    required: true,
    errors,
    extra: html` maxlength="${LIST_NAME_MAX}"`,
  });

function table(counts: ListCounts[]): Html {
  if (counts.length === 0) return html`<p>No lists yet. Create one below.</p>`;
  return html`<table class="list counts">
<caption class="visually-hidden">Lists</caption>
<thead><tr><th scope="col">List</th><th scope="col">Slug</th><th scope="col">Visibility</th><th scope="col">Confirmed</th><th scope="col">Pending</th><th scope="col">Unsubscribed</th><th scope="col"><span class="visually-hidden">Edit</span></th></tr></thead>
<tbody>${counts.map(
    (
      c,
    ) => html`<tr id="list-${c.list.id}"><th scope="row">${c.list.name}</th><td><code>${c.list.slug}</code></td><td>${c.list.is_public ? "public" : "private"}</td>
<td><a href="/admin/subscribers?list=${encodeURIComponent(c.list.slug)}&amp;status=confirmed">${c.confirmed}</a></td><td>${c.pending}</td><td>${c.unsubscribed}</td>
<td><a href="/admin/lists/${c.list.id}">Edit<span class="visually-hidden"> ${c.list.name}</span></a></td></tr>`,
  )}</tbody></table>`;
}

/** /admin/lists. */
export function listsPage(
  c: Context<AppEnv>,
  d: { counts: ListCounts[]; values?: ListValues; errors?: FieldErrors; notice?: string; status?: number },
) {
  const errors = d.errors ?? {};
  const v = d.values ?? { slug: "", name: "", promise: "", isPublic: true };
  return page(
    c,
    {
      title: "Lists",
      section: "lists",
      notice: d.notice,
      error: Object.keys(errors).length ? "Not created. Please correct the fields marked below." : undefined,
      status: d.status,
    },
    html`<h1>Lists</h1>
<p>The lists people subscribe to. Their subscribers are under <a href="/admin/subscribers">Subscribers</a>.</p>
${table(d.counts)}
<h2 id="new">New list</h2>
<form method="post" action="/admin/lists" class="stack" novalidate>
  ${csrfField(c)}
  ${nameField(v, errors)}
  ${input({ name: "slug", label: "Slug", value: v.slug ?? "", hint: "Used on the command line (--list) and in links; a-z, 0-9 and -. Empty: made from the name. It cannot be changed later.", errors })}
  ${promiseField(v, errors)}
  ${publicBox(v.isPublic)}
  <div class="actions"><button type="submit" class="primary">Create the list</button></div>
</form>`,
  );
}

/** /admin/lists/:id. */
export function listEditPage(
  c: Context<AppEnv>,
  list: ListRow,
  d: { values?: ListValues; errors?: FieldErrors; notice?: string; status?: number } = {},
) {
  const errors = d.errors ?? {};
  const v = d.values ?? { name: list.name, promise: list.promise, isPublic: !!list.is_public };
  return page(
    c,
    {
      title: `List “${list.name}”`,
      section: "lists",
      notice: d.notice,
      error: Object.keys(errors).length ? "Not saved. Please correct the fields marked below." : undefined,
      status: d.status,
    },
    html`<h1>List “${list.name}”</h1>
<p><a href="/admin/lists">All lists</a> · slug <code>${list.slug}</code></p>
<form method="post" action="/admin/lists/${list.id}" class="stack" novalidate>
  ${csrfField(c)}
  ${nameField(v, errors)}
  ${promiseField(v, errors)}
  <p class="hint">A new promise is shown from now on; consents given before keep the promise as it was shown then.</p>
  ${publicBox(v.isPublic)}
  <div class="actions"><button type="submit" class="primary">Save</button> <a href="/admin/lists">Cancel</a></div>
</form>`,
  );
}
