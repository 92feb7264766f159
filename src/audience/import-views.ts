/**
 * The report of a CSV import or dry run. After a dry run (or a refusal) the "Import now" form
 * carries the file's text in a hidden field, so the import runs on exactly the file that was
 * checked without choosing it again, and without JavaScript.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../lib/http/env.ts";
import { csrfField, page } from "../lib/ui/layout.ts";
import { formatNames, type RowNote } from "./csv-import.ts";
import type { ImportReport } from "./subscribers-import.ts";

function notes(title: string, list: (RowNote & { email?: string })[]) {
  if (list.length === 0) return "";
  return html`<h2>${title} (${list.length})</h2>
<ul class="report">${list.slice(0, 500).map((n) => html`<li>Line ${n.line}: ${n.email ? html`${n.email}: ` : ""}${n.reason}</li>`)}</ul>
${list.length > 500 ? html`<p>… and ${list.length - 500} more.</p>` : ""}`;
}

/** Render the report; `csv` is the file's text, for the "Import now" form. */
export function importReportPage(c: Context<AppEnv>, r: ImportReport, csv: string) {
  const would = r.imported ? "" : "would be ";
  const title = r.imported ? "Import done" : r.refused ? "Import refused" : "Dry run";
  const summary = r.refused
    ? html`<p class="error-summary" role="alert">The file has ${r.bad.length} bad row${r.bad.length === 1 ? "" : "s"}, so nothing was imported. Fix the file and check it again, or import only the good rows.</p>`
    : r.imported
      ? html`<p class="notice" role="status">Imported ${r.add + r.confirm} subscription${r.add + r.confirm === 1 ? "" : "s"} into ${r.list.name}.</p>`
      : html`<p class="notice" role="status">Dry run: nothing was changed.</p>`;
  const again = r.imported
    ? ""
    : html`<form method="post" action="/admin/subscribers/import" class="stack">
  ${csrfField(c)}
  <input type="hidden" name="csv" value="${csv}">
  <input type="hidden" name="filename" value="${r.fileName}">
  <input type="hidden" name="list" value="${r.list.slug}">
  <input type="hidden" name="dry_run" value="0">
  ${
    r.bad.length
      ? html`<label><input type="checkbox" name="skip_bad" value="1"${r.skipBad ? html` checked` : ""}> Skip the ${r.bad.length} bad row${r.bad.length === 1 ? "" : "s"} and import the rest</label>`
      : ""
  }
  <button type="submit" class="button">Import now</button>
</form>`;
  const body = html`<h1>${title}: ${r.fileName}</h1>
${summary}
<p>${r.total} row${r.total === 1 ? "" : "s"}, read as a ${formatNames[r.format]}, into <strong>${r.list.name}</strong>.</p>
<ul>
  <li>${r.add} ${would}added</li>
  <li>${r.confirm} pending ${would}confirmed</li>
  <li>${r.already} already subscribed (left as they are)</li>
  <li>${r.unsubscribed.length} unsubscribed here (not subscribed again)</li>
  <li>${r.notSubscribed.length} not subscribed in the file (skipped)</li>
  <li>${r.duplicates.length} duplicate${r.duplicates.length === 1 ? "" : "s"} in the file (skipped)</li>
  <li>${r.bad.length} bad row${r.bad.length === 1 ? "" : "s"}</li>
</ul>
${notes("Bad rows", r.bad)}
${notes("Unsubscribed here", r.unsubscribed)}
${notes("Not subscribed in the file", r.notSubscribed)}
${notes("Duplicates", r.duplicates)}
${again}
<p><a href="/admin/subscribers">Back to subscribers</a></p>`;
  return page(c, { title, section: "subscribers", status: r.refused ? 422 : 200 }, body);
}
