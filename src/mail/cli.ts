/**
 * `liner mail test EMAIL` (send one test message through SMTP_URL now, and say what the server
 * answered) and `liner mail status [ID]` (recent sends, or one send's progress with rate and
 * ETA; on a terminal, a progress bar that follows the send until it is done).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { CliError, lineWriter, parseCommand, UsageError, withContext } from "../lib/cli.ts";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import type { CliIo, Output } from "../lib/module.ts";
import { createProgress, formatDuration } from "../lib/progress.ts";
import { deliverDue } from "./delivery.ts";
import { queueTransactional, type SendStatusReport, sendStatus } from "./service.ts";
import { mailStore } from "./store.ts";
import { testMessage } from "./test-message.ts";
import { createMailer, describeSmtp, type SendError } from "./transport.ts";

/** `liner mail test EMAIL`. */
export async function mailTest(args: string[], io: CliIo): Promise<number> {
  const say = lineWriter(io.stdout);
  const { positionals } = parseCommand("mail test", args, {}, ["EMAIL"]);
  return withContext(io, async (ctx) => {
    const smtpUrl = ctx.config.mail.smtpUrl;
    if (!smtpUrl) throw new CliError("SMTP_URL is not set, so no email can be sent (e.g. smtp://user:pass@host:587).");
    const mailer = createMailer({ ...ctx.config.mail, smtpUrl });
    try {
      await mailer.verify().catch((err: SendError) => {
        throw new CliError(`Could not use ${describeSmtp(smtpUrl)}: ${err.message}`);
      });
      let id: number;
      try {
        id = await queueTransactional(ctx, {
          to: positionals[0],
          ...testMessage(`by Liner Notes at ${ctx.config.baseUrl} through ${describeSmtp(smtpUrl)}`),
        });
      } catch (err) {
        if (err instanceof ValidationError) throw new CliError(err.message);
        throw err;
      }
      // Deliver now, in this process: the test is only useful if it says what happened.
      await deliverDue(ctx, mailer, { budgetMs: 30_000 });
      const row = await mailStore(ctx.db).outboxRow(id);
      if (!row) throw new CliError(`The test message (outbox row ${id}) is gone.`);
      if (row.status !== "sent") {
        throw new CliError(`The test message to ${row.to_email} was not sent (${row.status}): ${row.last_response}`);
      }
      say(`Sent a test message to ${row.to_email} through ${describeSmtp(smtpUrl)}: ${row.last_response}`);
      return 0;
    } finally {
      mailer.close();
    }
  });
}

/** One line about a send's progress. Pure. */
export function progressLine(r: SendStatusReport): string {
  const p = r.progress;
  const parts = [`${p.sent}/${p.total} sent`];
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.suppressed) parts.push(`${p.suppressed} suppressed`);
  if (p.queued + p.sending) parts.push(`${p.queued + p.sending} to go`);
  if (r.rate) parts.push(`${r.rate.toFixed(1)}/s`);
  if (r.etaSeconds) parts.push(`ETA ${formatDuration(r.etaSeconds)}`);
  return `#${r.send.id} ${r.send.kind} “${r.send.subject}”: ${r.send.status}, ${parts.join(", ")}`;
}

async function follow(ctx: AppContext, id: number, stderr: Output): Promise<SendStatusReport> {
  let report = await sendStatus(ctx, id);
  const bar = createProgress(`#${id}`, report.progress.total, stderr);
  while (report.send.status === "sending") {
    bar.update(report.progress.total - report.progress.queued - report.progress.sending);
    await sleep(500);
    report = await sendStatus(ctx, id);
  }
  bar.finish();
  return report;
}

/** `liner mail status [ID]`. */
export async function mailStatus(args: string[], io: CliIo): Promise<number> {
  const say = lineWriter(io.stdout);
  const { positionals } = parseCommand("mail status", args, {}, [], ["ID"]);
  return withContext(io, async (ctx) => {
    if (positionals[0] === undefined) {
      const sends = await mailStore(ctx.db).listSends(20);
      if (sends.length === 0) say("No sends yet.");
      for (const s of sends) say(progressLine(await sendStatus(ctx, s.id)));
      return 0;
    }
    if (!/^\d+$/.test(positionals[0])) {
      throw new UsageError(`ID must be a send's number (got ${JSON.stringify(positionals[0])})`, "mail status");
    }
    const id = Number(positionals[0]);
    if (!(await mailStore(ctx.db).sendById(id))) throw new CliError(`There is no send #${id} (see liner mail status).`);
    const report = io.stderr.isTTY ? await follow(ctx, id, io.stderr) : await sendStatus(ctx, id);
    say(progressLine(report));
    return 0;
  });
}
