/**
 * Test support: a real SMTP server on 127.0.0.1 (the smtp-server package) that keeps what it
 * receives and can answer a recipient with a temporary (4xx) or permanent (5xx) failure.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import type { AppContext } from "../lib/context.ts";
import { raw } from "../lib/html.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { literalTemplate, type MailTemplate } from "./template.ts";

export interface Received {
  from: string;
  to: string[];
  raw: string;
  /** Header lines of the raw message, unfolded, by lower-case name (first value). */
  headers: Map<string, string>;
  /** When the sink kept it (`performance.now()`, ms). */
  at: number;
}

export interface SmtpSink {
  url: string;
  port: number;
  received: Received[];
  /** Answer RCPT TO for `email` with `code` (e.g. 451 or 550) `times` times (default: always). */
  fail(email: string, code: number, times?: number): void;
  /**
   * Hold every message from now on inside DATA, neither kept nor answered, until `release()`: as
   * a real server that commits a message only before its 250. A held message whose client goes
   * away (killed mid-send) never got the 250, and is dropped, not kept.
   */
  hold(): void;
  /** Keep and answer the held messages; stop holding. */
  release(): void;
  /** Messages held inside DATA right now. */
  readonly held: number;
  close(): Promise<void>;
}

/** Parse the header block of a raw message into unfolded lines keyed by lower-case name. */
export function parseHeaders(raw: string): Map<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, " ");
  const out = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) {
      const name = line.slice(0, i).trim().toLowerCase();
      if (!out.has(name)) out.set(name, line.slice(i + 1).trim());
    }
  }
  return out;
}

/** Start a sink on a free loopback port; `auth` requires that user and password. */
export async function smtpSink(opts: { auth?: { user: string; pass: string } } = {}): Promise<SmtpSink> {
  const received: Received[] = [];
  const failures = new Map<string, { code: number; left: number }>();
  let holding = false;
  // Per session (one message in DATA at a time): keep its held message and answer 250.
  const waiting = new Map<string, () => void>();
  const server = new SMTPServer({
    secure: false,
    disabledCommands: opts.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) {
        cb(null, { user: auth.username });
      } else cb(Object.assign(new Error("Authentication failed"), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      const f = failures.get(address.address.toLowerCase());
      if (f && f.left !== 0) {
        f.left--;
        const text = f.code >= 500 ? "5.1.1 No such user here" : "4.2.1 Try again later";
        return cb(Object.assign(new Error(text), { responseCode: f.code }));
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const { mailFrom, rcptTo } = session.envelope;
        const keep = () => {
          received.push({
            from: mailFrom ? mailFrom.address : "",
            to: rcptTo.map((r) => r.address),
            raw,
            headers: parseHeaders(raw),
            at: performance.now(),
          });
          cb();
        };
        if (holding) waiting.set(session.id, keep);
        else keep();
      });
    },
    onClose(session) {
      waiting.delete(session.id);
    },
  });
  // A client killed mid-session (the kill -9 test) resets its connection: not the sink's failure.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  const cred = opts.auth ? `${encodeURIComponent(opts.auth.user)}:${encodeURIComponent(opts.auth.pass)}@` : "";
  return {
    url: `smtp://${cred}127.0.0.1:${port}`,
    port,
    received,
    fail(email, code, times = -1) {
      failures.set(email.toLowerCase(), { code, left: times });
    },
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      const held = [...waiting.values()];
      waiting.clear();
      for (const keep of held) keep();
    },
    get held() {
      return waiting.size;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The decoded text/plain and text/html parts of a received message (quoted-printable or not),
 * with CRLF line ends turned into LF.
 */
export function messageParts(raw: string): { text: string; html: string } {
  const boundary = /boundary="?([^"\r\n;]+)"?/.exec(raw)?.[1] ?? "";
  const out = { text: "", html: "" };
  for (const part of raw.split(`--${boundary}`)) {
    const i = part.search(/\r?\n\r?\n/);
    const head = part.slice(0, i);
    let body = part
      .slice(i)
      .replace(/^\r?\n\r?\n/, "")
      .replace(/\r?\n$/, "");
    if (/^content-transfer-encoding:\s*quoted-printable/im.test(head)) {
      const bytes = body
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-F]{2})/g, (_m, x: string) => String.fromCharCode(Number.parseInt(x, 16)));
      body = Buffer.from(bytes, "latin1").toString("utf8");
    } else if (/^content-transfer-encoding:\s*base64/im.test(head)) {
      body = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    }
    body = body.replace(/\r\n/g, "\n");
    if (/^content-type:\s*text\/plain/im.test(head)) out.text = body;
    if (/^content-type:\s*text\/html/im.test(head)) out.html = body;
  }
  return out;
}

/** Deliver what is due in the outbox to a sink at once (no pacing), with a mailer of its own. */
export async function deliverToSink(ctx: AppContext, sink: SmtpSink) {
  const { createMailer } = await import("./transport.ts");
  const { deliverDue } = await import("./delivery.ts");
  const mailer = createMailer({ ...ctx.config.mail, smtpUrl: sink.url });
  try {
    return await deliverDue(ctx, mailer, { ratePerSecond: 1000 });
  } finally {
    mailer.close();
  }
}

/** A send's template without slots, from our own test HTML: `createSend(ctx, {kind, ...fixedMail(...)}, ...)`. */
export function fixedMail(subject: string, html: string, text: string): MailTemplate {
  return literalTemplate({ subject, html: raw(html), text });
}

/** A fresh test context whose mail goes to a new SMTP sink on loopback (From: Ann <ann@example.com>). */
export async function contextWithSink(): Promise<{ ctx: TestContext; sink: SmtpSink }> {
  const sink = await smtpSink();
  const ctx = await createTestContext();
  ctx.config.mail = { ...ctx.config.mail, smtpUrl: sink.url, from: "Ann <ann@example.com>" };
  return { ctx, sink };
}

/** Close what `contextWithSink` opened. */
export async function closeWithSink(ctx: TestContext, sink: SmtpSink): Promise<void> {
  await ctx.cleanup();
  await sink.close();
}

// Re-exported for other modules' tests.
export { deliverDue } from "./delivery.ts";
export { createSend } from "./service.ts";
export { mailTemplate } from "./template.ts";
export { createMailer } from "./transport.ts";
