/** Pages of the subscribers admin: the list with counts, search, filters and forms; one subscriber. */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../lib/http/env.ts";
import type { FieldErrors } from "../lib/ui/form.ts";
import { csrfField, page, when } from "../lib/ui/layout.ts";
import type { ListRow } from "./store.ts";
import type { ListCounts, STATUSES, searchSubscribers, subscriberHistory } from "./subscribers.ts";

type Search = Awaited<ReturnType<typeof searchSubscribers>>;
type History = Awaited<ReturnType<typeof subscriberHistory>>;

/** Which form of the page an error belongs to, and its field errors. */
export interface FormProblem {
  form: "find" | "add" | "import";
  errors: FieldErrors;
}

/** The error of a field of a form (beside the control), and the attributes that tie it to the control. */
function fieldError(d: ListPageData, form: FormProblem["form"], field: string) {
  const message = d.problem?.form === form ? d.problem.errors[field] : undefined;
  const id = `${form}-${field}-error`;
  return {
    note: message ? html`<span class="field-error" id="${id}">${message}</span>` : "",
    attrs: message ? html` aria-invalid="true" aria-describedby="${id}"` : "",
  };
}

export interface ListPageData {
  counts: ListCounts[];
  result: Search;
  query: { q: string; list: string; status: string };
  tz: string;
  maxUploadMb: number;
  addEmail?: string;
  /** The list chosen in the add or import form (as submitted after a problem). */
  formList?: string;
  addConfirmed?: boolean;
  problem?: FormProblem;
  notice?: string;
  error?: string;
  status?: number;
}

const listOptions = (lists: ListRow[], selected: string, any: string) =>
  html`${any ? html`<option value="">${any}</option>` : ""}${lists.map(
    (l) => html`<option value="${l.slug}"${l.slug === selected ? html` selected` : ""}>${l.name} (${l.slug})</option>`,
  )}`;

function countsTable(counts: ListCounts[]) {
  if (counts.length === 0)
    return html`<p>No lists yet: <a href="/admin/lists#new">create one under Lists</a> (or with <code>liner lists add</code>).</p>`;
  return html`<table class="list counts"><thead><tr><th scope="col">List</th><th scope="col">Confirmed</th><th scope="col">Pending</th><th scope="col">Unsubscribed</th><th scope="col">Erased</th><th scope="col">Export</th></tr></thead>
<tbody>${counts.map(
    (
      c,
    ) => html`<tr><th scope="row">${c.list.name}</th><td>${c.confirmed}</td><td>${c.pending}</td><td>${c.unsubscribed}</td><td>${c.erased}</td>
<td><a href="/admin/subscribers/export.csv?list=${encodeURIComponent(c.list.slug)}">CSV<span class="visually-hidden"> of ${c.list.name}</span></a></td></tr>`,
  )}</tbody></table>`;
}

function pager(d: ListPageData) {
  const { page: p, pages } = d.result;
  if (pages <= 1) return "";
  const link = (n: number) => {
    const qs = new URLSearchParams({ ...d.query, page: String(n) });
    for (const [k, v] of [...qs]) if (!v) qs.delete(k);
    return `/admin/subscribers?${qs}`;
  };
  return html`<nav aria-label="Pages" class="pager">
  ${p > 1 ? html`<a href="${link(p - 1)}" rel="prev">Previous</a>` : ""}
  <span>Page ${p} of ${pages}</span>
  ${p < pages ? html`<a href="${link(p + 1)}" rel="next">Next</a>` : ""}
</nav>`;
}

function row(r: Search["rows"][number], tz: string) {
  return html`<tr>
  <td>${r.erased_at ? html`<em>erased</em>` : html`<a href="/admin/subscribers/${r.id}">${r.email}</a>`}</td>
  <td>${r.name}</td>
  <td>${r.subscriptions.map((s) => html`<span class="tag">${s.list_slug}: ${r.erased_at ? "erased" : s.status}</span> `)}</td>
  <td>${when(r.created_at, tz)}</td>
  <td><a href="/admin/subscribers/${r.id}">History<span class="visually-hidden"> of subscriber ${r.id}</span></a></td>
</tr>`;
}

/** The list page. */
export function subscribersPage(c: Context<AppEnv>, d: ListPageData, statuses: typeof STATUSES) {
  const lists = d.counts.map((x) => x.list);
  const [findList, findStatus] = [fieldError(d, "find", "list"), fieldError(d, "find", "status")];
  const [addEmail, addList] = [fieldError(d, "add", "email"), fieldError(d, "add", "list")];
  const [importFile, importList] = [fieldError(d, "import", "file"), fieldError(d, "import", "list")];
  const formList = d.formList ?? d.query.list;
  const body = html`<h1>Subscribers</h1>
<section aria-labelledby="counts"><h2 id="counts">Lists</h2>${countsTable(d.counts)}</section>
<section aria-labelledby="find">
  <h2 id="find">Find</h2>
  <form method="get" action="/admin/subscribers" class="inline filters">
    <label>Email or name <input type="search" name="q" value="${d.query.q}"></label>
    <label>List <select name="list"${findList.attrs}>${listOptions(lists, d.query.list, "All lists")}</select>${findList.note}</label>
    <label>Status <select name="status"${findStatus.attrs}><option value="">Any status</option>${statuses.map(
      (s) => html`<option value="${s}"${s === d.query.status ? html` selected` : ""}>${s}</option>`,
    )}</select>${findStatus.note}</label>
    <button type="submit">Search</button>
  </form>
  <p>${d.result.total} subscriber${d.result.total === 1 ? "" : "s"}.</p>
  ${
    d.result.rows.length
      ? html`<table class="list"><thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Lists</th><th scope="col">Added</th><th scope="col"><span class="visually-hidden">History</span></th></tr></thead>
  <tbody>${d.result.rows.map((r) => row(r, d.tz))}</tbody></table>`
      : ""
  }
  ${pager(d)}
</section>
<section aria-labelledby="add">
  <h2 id="add">Add by hand</h2>
  <form method="post" action="/admin/subscribers/add" class="stack">
    ${csrfField(c)}
    <label>Email <input type="email" name="email" required value="${d.addEmail ?? ""}"${addEmail.attrs}>${addEmail.note}</label>
    <label>List <select name="list" required${addList.attrs}>${listOptions(lists, formList, "")}</select>${addList.note}</label>
    <label><input type="checkbox" name="confirmed" value="1"${d.addConfirmed ? html` checked` : ""}> They already agreed (confirmed). Without this they get a confirmation email and nothing else until they confirm.</label>
    <button type="submit" class="button">Add</button>
  </form>
</section>
<section aria-labelledby="import">
  <h2 id="import">Import a CSV file</h2>
  <p>Exports of Substack, Mailchimp or Ghost, or a file with an <code>email</code> (and <code>name</code>) column; at most ${d.maxUploadMb} MB.
  Everyone imported is confirmed: import only people who agreed to get your emails.</p>
  <form method="post" action="/admin/subscribers/import" enctype="multipart/form-data" class="stack">
    ${csrfField(c)}
    <label>File <input type="file" name="file" accept=".csv,text/csv" required${importFile.attrs}>${importFile.note}</label>
    <label>Into list <select name="list" required${importList.attrs}>${listOptions(lists, formList, "")}</select>${importList.note}</label>
    <label><input type="checkbox" name="dry_run" value="1" checked> Dry run: show what would happen, change nothing</label>
    <button type="submit" class="button">Check the file</button>
  </form>
</section>`;
  return page(
    c,
    { title: "Subscribers", section: "subscribers", notice: d.notice, error: d.error, status: d.status },
    body,
  );
}

/** One subscriber: every consent and every email, and the way to erase them. */
export function subscriberPage(c: Context<AppEnv>, d: History, tz: string, notice?: string) {
  const s = d.subscriber;
  const title = s.erased_at ? `Erased subscriber #${s.id}` : (s.email ?? "");
  const body = html`<h1>${title}</h1>
<p>${s.name ? html`${s.name} · ` : ""}added ${when(s.created_at, tz)}${s.erased_at ? html` · <strong>erased ${when(s.erased_at, tz)}</strong>` : ""}</p>
<h2>Consents</h2>
${
  d.consents.length
    ? html`<table class="list"><thead><tr><th scope="col">List</th><th scope="col">Status</th><th scope="col">Promise as shown</th><th scope="col">Source</th><th scope="col">Source page</th><th scope="col">Requested</th><th scope="col">Confirmed</th><th scope="col">Unsubscribed</th></tr></thead>
<tbody>${d.consents.map(
        (
          x,
        ) => html`<tr><td>${x.list_name}</td><td>${s.erased_at ? "erased" : x.status}</td><td>${x.promise_shown || "—"}</td><td>${x.source || "—"}</td><td>${x.source_page || "—"}</td>
<td>${when(x.requested_at, tz)}</td><td>${when(x.confirmed_at, tz)}</td><td>${when(x.unsubscribed_at, tz)}</td></tr>`,
      )}</tbody></table>`
    : html`<p>No subscriptions.</p>`
}
<h2>Emails</h2>
${
  d.emails.length
    ? html`<table class="list"><thead><tr><th scope="col">Subject</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Queued</th><th scope="col">Sent</th></tr></thead>
<tbody>${d.emails.map(
        (e) =>
          html`<tr><td>${e.subject ?? "—"}</td><td>${e.send_id ? html`<a href="/admin/mail">send #${e.send_id}</a> (${e.kind ?? "bulk"})` : "transactional"}</td><td>${e.status}</td><td>${when(e.created_at, tz)}</td><td>${when(e.sent_at, tz)}</td></tr>`,
      )}</tbody></table>`
    : html`<p>No emails yet.</p>`
}
${s.erased_at ? "" : html`<h2>Erase</h2><p><a href="/admin/subscribers/${s.id}/erase" class="button danger">Erase this subscriber…</a></p>`}
<p><a href="/admin/subscribers">All subscribers</a></p>`;
  return page(c, { title, section: "subscribers", notice }, body);
}

/** The confirmation step before erasing. */
export function erasePage(c: Context<AppEnv>, d: History, error?: string) {
  const s = d.subscriber;
  return page(
    c,
    { title: `Erase ${s.email}`, section: "subscribers", error, status: error ? 400 : 200 },
    html`<h1>Erase ${s.email}?</h1>
<p>This removes the address and name for good: from the subscriber, from every email sent or waiting
(what is still waiting is withdrawn) and from the suppression list. The consent records and email
counts stay, shown as “erased”. It cannot be undone.</p>
<form method="post" action="/admin/subscribers/${s.id}/erase" class="stack">
  ${csrfField(c)}
  <label><input type="checkbox" name="confirm" value="yes" required> I understand: erase ${s.email} for good</label>
  <button type="submit" class="button danger">Erase</button>
  <a href="/admin/subscribers/${s.id}">Cancel</a>
</form>`,
  );
}
