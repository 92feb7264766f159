/**
 * /admin/backups: the daily backup's settings (on or off, time of day in the owner's zone, how
 * many to keep, the folder) and the backups in that folder, each with a download link.
 */
import type { Context } from "hono";
import { h } from "../lib/html.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { type FieldErrors, input } from "../lib/ui/form.ts";
import { csrfField, page, when } from "../lib/ui/layout.ts";
import type { BackupFile, BackupSettings } from "./settings.ts";

/** What the Backups page shows. */
export interface BackupsPageData {
  settings: BackupSettings;
  /** The folder the backups go to (the default when the setting is empty). */
  folder: string;
  /** Where they go when the setting is empty. */
  defaultFolder: string;
  files: BackupFile[];
  /** Why the folder could not be listed. */
  listError?: string;
  timeZone: string;
  nextRun: string | null;
  notice?: string;
  error?: string;
  errors?: FieldErrors;
  status?: number;
}

/** Bytes as "512 B", "3.4 KB", "12.0 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function list(d: BackupsPageData) {
  if (d.listError) return h`<p class="error-summary" role="alert">${d.listError}</p>`;
  if (!d.files.length) return h`<p>No backups in ${d.folder} yet.</p>`;
  return h`<table class="list">
  <caption class="visually-hidden">Backups in ${d.folder}</caption>
  <thead><tr><th scope="col">Backup</th><th scope="col">Made</th><th scope="col">Size</th></tr></thead>
  <tbody>${d.files.map(
    (f) => h`<tr>
    <td><a href="/admin/backups/files/${f.name}" download>${f.name}</a></td>
    <td>${when(f.modifiedAt, d.timeZone)}</td>
    <td>${formatBytes(f.bytes)}</td>
  </tr>`,
  )}</tbody>
</table>`;
}

/** Render the Backups page. */
export function backupsPage(c: Context<AppEnv>, d: BackupsPageData) {
  const s = d.settings;
  const errors = d.errors ?? {};
  const body = h`<h1>Backups</h1>
<p>A backup holds the whole database and every media file, checked after it is written. Restore
one with <code>liner restore FILE</code> on the server (see docs/operations.md).</p>
<h2 id="schedule">Daily backup</h2>
<p>${d.nextRun ? h`The next backup is made on <strong>${when(d.nextRun, d.timeZone)}</strong> (${d.timeZone}).` : "Daily backups are off."}</p>
<form method="post" action="/admin/backups" class="stack" novalidate data-warn-unsaved>
  ${csrfField(c)}
  <div class="check"><input type="checkbox" id="f-enabled" name="enabled" value="1"${s.enabled ? h` checked` : ""}><label for="f-enabled">Make a backup every day</label></div>
  ${input({ name: "time", label: "Time", type: "time", value: s.time, hint: `In your time zone, ${d.timeZone}.`, errors })}
  ${input({ name: "keep", label: "Backups to keep", type: "number", value: s.keep, hint: "The oldest are removed once there are more.", errors })}
  ${input({ name: "folder", label: "Folder", value: s.folder, hint: `A full path on the server; leave it empty for ${d.defaultFolder}`, errors })}
  <div class="actions"><button type="submit" class="primary">Save</button></div>
</form>
<h2 id="files">Backups</h2>
<form method="post" action="/admin/backups/now">
  ${csrfField(c)}
  <button type="submit">Back up now</button>
</form>
${list(d)}`;
  return page(c, { title: "Backups", section: "backups", notice: d.notice, error: d.error, status: d.status }, body);
}
