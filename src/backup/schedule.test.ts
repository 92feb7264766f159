/**
 * The daily backup: the owner turns it on in Settings → Backups, a backup is made at the time of
 * day in the owner's zone, only the newest N are kept, and the page lists them for download.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { signIn } from "../auth/testing.ts";
import { setTimeZone } from "../lib/settings/time-zone.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { readArchive } from "./archive.ts";
import { DAILY_JOB, registerBackupJobs } from "./jobs.ts";
import { nextDailyRun } from "./settings.ts";
import { backupStore } from "./store.ts";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(() => ctx.cleanup());

const queued = () =>
  ctx.db.kysely
    .selectFrom("jobs")
    .select("run_at")
    .where("kind", "=", DAILY_JOB.name)
    .where("status", "=", "queued")
    .execute();

test("nextDailyRun keeps the wall-clock time across a daylight-saving change", () => {
  // Europe/Berlin leaves summer time on Sunday 25 October 2026 (UTC+2 → UTC+1).
  assert.equal(
    nextDailyRun(new Date("2026-10-24T12:00:00Z"), "03:00", "Europe/Berlin").toISOString(),
    "2026-10-25T02:00:00.000Z",
  );
  assert.equal(
    nextDailyRun(new Date("2026-10-25T02:00:00Z"), "03:00", "Europe/Berlin").toISOString(),
    "2026-10-26T02:00:00.000Z",
  );
  assert.equal(
    nextDailyRun(new Date("2026-10-25T00:30:00Z"), "03:00", "Europe/Berlin").toISOString(),
    "2026-10-25T02:00:00.000Z",
  );
});

test("the owner turns daily backups on; they run at the time, the newest N are kept and listed for download", async () => {
  ctx.setNow(new Date("2026-03-01T12:00:00Z"));
  await setTimeZone(ctx, "Europe/Berlin");
  const app = await createApp(ctx);
  const owner = await signIn(ctx, app, { role: "owner" });
  const page = await (await owner.request("/admin/backups")).text();
  assert.match(page, /Daily backups are off\./);
  assert.match(page, /No backups in .*backups yet\./);

  const bad = await owner.form("/admin/backups", { enabled: "1", time: "25:00", keep: "2", folder: "" });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /id="f-time-error">time: use HH:MM, e\.g\. 03:00</);
  const relative = await owner.form("/admin/backups", { enabled: "1", time: "04:30", keep: "2", folder: "backups" });
  assert.equal(relative.status, 400);
  assert.match(await relative.text(), /folder: give a full path/);

  const folder = path.join(ctx.config.dataDir, "nightly");
  const saved = await owner.form("/admin/backups", { enabled: "1", time: "04:30", keep: "2", folder });
  assert.equal(saved.status, 303);
  // 04:30 in Berlin (UTC+1 in March) is 03:30 UTC, tomorrow.
  assert.deepEqual(await queued(), [{ run_at: "2026-03-02T03:30:00.000Z" }]);

  await registerBackupJobs(ctx);
  for (const day of ["02", "03", "04"]) {
    ctx.setNow(new Date(`2026-03-${day}T03:30:01Z`));
    assert.equal(await ctx.runner.drain(), 1, `the backup of 2026-03-${day} ran`);
  }
  const files = fs.readdirSync(folder).sort();
  assert.deepEqual(files, ["liner-backup-20260303-033001.tar.gz", "liner-backup-20260304-033001.tar.gz"]);
  assert.deepEqual(await queued(), [{ run_at: "2026-03-05T03:30:00.000Z" }], "the next day's is queued");
  await readArchive(path.join(folder, files[1]));
  assert.equal(fs.statSync(path.join(folder, files[1])).mode & 0o777, 0o600, "readable by the owner only");

  const listed = await (await owner.request("/admin/backups")).text();
  assert.match(listed, /The next backup is made on/);
  assert.ok(listed.indexOf(files[1]) < listed.indexOf(files[0]), "newest first");
  const download = await owner.request(`/admin/backups/files/${files[1]}`);
  assert.equal(download.status, 200);
  assert.match(download.headers.get("content-disposition") ?? "", /attachment; filename="liner-backup-20260304/);
  assert.deepEqual(Buffer.from(await download.arrayBuffer()), fs.readFileSync(path.join(folder, files[1])));
  assert.equal((await owner.request("/admin/backups/files/..%2Fliner.db")).status, 404);

  // Turned off: nothing queued any more. Editors do not see the page at all.
  await owner.form("/admin/backups", { time: "04:30", keep: "2", folder });
  assert.deepEqual(await queued(), []);
  const editor = await signIn(ctx, app, { role: "editor" });
  assert.equal((await editor.request("/admin/backups")).status, 403);
  assert.doesNotMatch(await (await editor.request("/admin/posts")).text(), /href="\/admin\/backups"/);
});

test("a file or a missing parent as the folder is refused; a bad folder saved earlier is said on the page and in the job's error", async () => {
  const app = await createApp(ctx);
  const owner = await signIn(ctx, app, { role: "owner" });
  const file = path.join(ctx.config.dataDir, "passwd");
  fs.writeFileSync(file, "root:x:0:0\n");
  const form = (folder: string) => owner.form("/admin/backups", { enabled: "1", time: "04:30", keep: "2", folder });
  const isFile = await form(file);
  assert.equal(isFile.status, 400);
  assert.match(await isFile.text(), new RegExp(`id="f-folder-error">folder: ${file} is a file, not a folder<`));
  const deep = path.join(ctx.config.dataDir, "no", "such");
  const noParent = await form(deep);
  assert.equal(noParent.status, 400);
  assert.match(await noParent.text(), /folder: .*no\/such does not exist, nor does .*\/no: create it first/);
  assert.equal((await form(path.join(ctx.config.dataDir, "new"))).status, 303, "a new folder in one that exists");

  // Saved before this check existed: the page says so and can still be used; the job fails in one line.
  await backupStore(ctx.db).putSettings({ enabled: 1, time: "04:30", keep: 2, folder: file });
  const page = await owner.request("/admin/backups");
  assert.equal(page.status, 200);
  assert.match(await page.text(), new RegExp(`role="alert">Could not read ${file}: not a folder<`));
  await registerBackupJobs(ctx);
  ctx.setNow(new Date(Date.now() + 2 * 86_400_000));
  await ctx.runner.drain();
  const [job] = await ctx.db.kysely
    .selectFrom("jobs")
    .select("last_error")
    .where("kind", "=", DAILY_JOB.name)
    .where("last_error", "is not", null)
    .execute();
  assert.equal(job?.last_error, `the daily backup cannot be made: ${file} is a file, not a folder`);
});

test("Back up now queues a backup at once; the page says so and lists it when done", async () => {
  const app = await createApp(ctx);
  await registerBackupJobs(ctx);
  const owner = await signIn(ctx, app, { role: "owner" });
  assert.match(await (await owner.request("/admin/backups")).text(), /<button type="submit">Back up now<\/button>/);
  const refused = await owner.form("/admin/backups/now", {}, { csrf: false });
  assert.equal(refused.status, 403, "the CSRF token is required");
  const r = await owner.form("/admin/backups/now", {});
  assert.equal(r.status, 303);
  assert.match(
    await (await owner.request(r.headers.get("location") ?? "")).text(),
    /Backup started; it appears below when done\./,
  );
  assert.equal(await ctx.runner.drain(), 1);
  const [made] = fs.readdirSync(path.join(ctx.config.dataDir, "backups"));
  assert.match(made, /^liner-backup-\d{8}-\d{6}\.tar\.gz$/);
  assert.ok((await (await owner.request("/admin/backups")).text()).includes(made));
  const editor = await signIn(ctx, app, { role: "editor" });
  assert.equal((await editor.form("/admin/backups/now", {})).status, 403);
});
