/**
 * `digest`: draft and render a 200-entry digest (200 saves over 8 themes, each with a blurb and
 * a two-step credit chain), then send it to 10,000 confirmed subscribers of a list through
 * `liner worker` to the accept-all SMTP sink of `bench/lib/sink.ts`, against the bare nodemailer
 * loop sending the same rendered message in the same run (the floor). Both sides are timed by the
 * sink (first message to last), in two rounds alternating which goes first (bare, Liner, Liner, bare).
 *
 * Draft = `draftDigest` (read the saves, themes and credits; write the digest, sections and
 * entries). Render = `loadDigest` + the email (HTML and text, tracked links) + the page body.
 */
import path from "node:path";
import type { MailTemplate } from "../src/mail/template.ts";
import { makeWorkDir, removeWorkDir, stopChild } from "./lib/proc.ts";
import {
  consoleTable,
  fmt,
  fmtMs,
  machineLine,
  markdownTable,
  mean,
  median,
  sqliteVersion,
  stamp,
  type Target,
  targetLines,
  writeSection,
} from "./lib/report.ts";
import { alternate, bareLoop, CONCURRENCY, type Counts, perSecond, startSink } from "./lib/sink.ts";
import { copyData, runWorker, workerEnv } from "./send.ts";

export interface DigestBenchOptions {
  record: boolean;
  entries: number;
  recipients: number;
  runs: number;
}

const THEMES = ["Leadership", "Strategy", "Writing", "Craft", "Teams", "Sales", "Research", "Tools"];

/** Seed saves and subscribers, time draft and render, queue the send; returns the timings and the message. */
async function prepare(dataDir: string, o: DigestBenchOptions) {
  const { loadConfig } = await import("../src/lib/config.ts");
  const { createContext, closeContext } = await import("../src/lib/context.ts");
  const { saveTheme } = await import("../src/content/themes.ts");
  const { systemActor } = await import("../src/content/service.ts");
  const { createSave } = await import("../src/reader/saves/service.ts");
  const { createList } = await import("../src/audience/service.ts");
  const { draftDigest } = await import("../src/digest/compose.ts");
  const { loadDigest } = await import("../src/digest/service.ts");
  const { digestMessage, sendDigest } = await import("../src/digest/publish.ts");
  const { digestBodyHtml } = await import("../src/digest/render.ts");
  const { digestStore } = await import("../src/digest/store.ts");
  let clock = Date.parse("2026-11-23T08:00:00Z");
  const ctx = await createContext(
    loadConfig({ LINER_DATA: dataDir, LINER_LOG: "warn", LINER_MAIL_FROM: "Ann <ann@example.com>" }),
    { now: () => new Date(clock) },
  );
  try {
    const themeIds = [];
    for (const name of THEMES) themeIds.push((await saveTheme(ctx, { name })).id);
    for (let i = 0; i < o.entries; i++) {
      clock += 60_000;
      await createSave(
        ctx,
        systemActor,
        {
          url: `https://site${i % 40}.example/essays/${i}`,
          title: `Essay ${i}: what a team learns when it writes things down`,
          blurb: `Why this one matters: **${i}** reasons, [a chart](https://charts.example/${i}) and a question for your next meeting.`,
          themeIds: [themeIds[i % themeIds.length]],
          credits: [
            { name: `Source ${i % 25}`, url: `https://source${i % 25}.example/` },
            { name: `Finder ${i % 7}`, url: `https://finder${i % 7}.example/` },
          ],
        },
        { fetch: false },
      );
    }
    const list = await createList(ctx, { slug: "bench", name: "Flash Report" });
    const at = new Date(clock).toISOString();
    for (let i = 0; i < o.recipients; i += 500) {
      const emails = Array.from({ length: Math.min(500, o.recipients - i) }, (_, j) => `r${i + j}@example.net`);
      const rows = await ctx.db.kysely
        .insertInto("subscribers")
        .values(emails.map((email) => ({ email, name: "", created_at: at })))
        .returning("id")
        .execute();
      await ctx.db.kysely
        .insertInto("subscriptions")
        .values(
          rows.map((r) => ({
            subscriber_id: r.id,
            list_id: list.id,
            status: "confirmed",
            promise_shown: "",
            source: "bench",
            source_page: "",
            unsubscribed_at: null,
            requested_at: at,
            confirmed_at: at,
          })),
        )
        .execute();
    }
    clock += 3600_000;
    const since = new Date("2026-11-23T00:00:00Z");
    const draftMs: number[] = [];
    const renderMs: number[] = [];
    let id = 0;
    let entries = 0;
    let message: MailTemplate = { subject: "", html: [], text: [] };
    for (let run = 0; run < o.runs; run++) {
      if (id) await digestStore(ctx.db).deleteDigest(id);
      const t0 = performance.now();
      ({ id, entries } = await draftDigest(ctx, { since }));
      const t1 = performance.now();
      const { digest, view } = await loadDigest(ctx, id);
      message = await digestMessage(ctx, digest, view);
      digestBodyHtml(view);
      const t2 = performance.now();
      draftMs.push(t1 - t0);
      renderMs.push(t2 - t1);
    }
    const q0 = performance.now();
    const sent = await sendDigest(ctx, id, ["bench"]);
    const queueMs = performance.now() - q0;
    return { draftMs, renderMs, entries, message, queueMs, recipients: sent.recipients };
  } finally {
    await closeContext(ctx);
  }
}

export async function benchDigest(o: DigestBenchOptions): Promise<void> {
  const work = makeWorkDir("digest");
  const sink = await startSink();
  try {
    const dataDir = path.join(work, "data");
    console.log(`digest: ${o.entries} saves, ${fmt(o.recipients)} subscribers, SMTP sink on 127.0.0.1:${sink.port}`);
    const p = await prepare(dataDir, o);
    const draft = median(p.draftMs);
    const render = median(p.renderMs);
    console.log(
      `  ${p.entries} entries; draft ${fmtMs(draft)}, render ${fmtMs(render)} (median of ${o.runs}); send queued in ${fmtMs(p.queueMs)}`,
    );
    // The bare loop fills in "{{unsubscribe_url}}" itself.
    const { fillTemplate } = await import("../src/mail/template.ts");
    const bare = fillTemplate(p.message, {
      unsubscribe_url: "{{unsubscribe_url}}",
      preferences_url: "http://127.0.0.1/preferences/x",
    });
    let peakMb = 0;
    let runs = 0;
    const results = await alternate<Counts>(2, {
      a: async () => {
        await bareLoop(sink.port, o.recipients, bare);
        const c = await sink.ask("reset");
        console.log(`  bare nodemailer loop: ${fmtMs(c.spanMs)} at the sink, ${fmt(perSecond(c))} msg/s`);
        return c;
      },
      b: async () => {
        const runDir = copyData(dataDir, path.join(work, `run-${runs++}`));
        const run = await runWorker(workerEnv(runDir, sink.port), sink, p.recipients);
        peakMb = Math.max(peakMb, run.peakMb);
        removeWorkDir(runDir);
        console.log(`  liner worker: ${fmtMs(run.counts.spanMs)} at the sink, ${fmt(perSecond(run.counts))} msg/s`);
        return run.counts;
      },
    });
    const side = (s: "a" | "b") => results.filter((r) => r.side === s).map((r) => r.result);
    const bareRate = mean(side("a").map(perSecond));
    const workerRate = mean(side("b").map(perSecond));
    const rounds = (s: "a" | "b") =>
      side(s)
        .map((c) => fmt(perSecond(c)))
        .join(", ");
    const kb = Math.round(Buffer.byteLength(bare.html) / 1024);
    const header = ["step", "figure", "vs floor"];
    const rows = [
      ["draft (200 saves → digest)", fmtMs(draft), ""],
      ["render (load + email + page)", fmtMs(render), ""],
      ["draft + render", fmtMs(draft + render), ""],
      [`bare nodemailer loop (floor), ${kb} KB HTML (rounds: ${rounds("a")})`, `${fmt(bareRate)} msg/s`, "1.00×"],
      [
        `liner worker, ${fmt(p.recipients)} recipients (rounds: ${rounds("b")})`,
        `${fmt(workerRate)} msg/s`,
        `${(workerRate / bareRate).toFixed(2)}×`,
      ],
      ["worker peak RSS", `${fmt(peakMb)} MB`, ""],
    ];
    const targets: Target[] = [
      {
        label: `draft and render of ${p.entries} entries ≤ 500 ms`,
        met: draft + render <= 500 && p.entries === o.entries,
        actual: fmtMs(draft + render),
      },
      {
        label: `every subscriber got it once, in each worker run`,
        met: side("b").every((c) => c.distinct === p.recipients && c.total === p.recipients),
        actual: side("b")
          .map((c) => `${fmt(c.distinct)} distinct of ${fmt(p.recipients)}, ${fmt(c.total)} messages`)
          .join("; "),
      },
    ];
    console.log(`\n${consoleTable(header, rows)}\n`);
    for (const line of targetLines(targets)) console.log(line);
    if (o.record) {
      writeSection(
        "digest",
        `## digest

${stamp()} · ${machineLine([sqliteVersion()])}

A digest drafted from ${o.entries} saves (8 themes, a Markdown blurb and a two-step credit chain each) on
SQLite, rendered (email HTML and text with a tracked link per entry, and the page body), then sent to
${fmt(p.recipients)} confirmed subscribers of a list by \`liner worker\` (${CONCURRENCY} SMTP connections) to the
accept-all sink of \`bench/lib/sink.ts\`. Draft and render are the median of ${o.runs} runs. The floor is the
bare nodemailer loop sending the same rendered message (${kb} KB of HTML) in the same run; the
\`send\` section has the floor for a ~5 KB post email. Both sides are timed the same way, by the sink,
from the first message it keeps to the last; two rounds alternate which side goes first (bare, worker,
worker, bare), each worker run on a fresh copy of the data folder with the digest's send queued, and
the rates are the means of the rounds.

${markdownTable(header, rows)}

${targetLines(targets).join("\n")}
`,
      );
    }
  } finally {
    await stopChild(sink.child);
    removeWorkDir(work);
  }
}
