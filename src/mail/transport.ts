/**
 * The SMTP transport: nodemailer over any SMTP server from SMTP_URL (smtp:// or smtps://, with
 * credentials), pooled connections, optional DKIM signing. Errors are classified the way the
 * outbox needs them: temporary (4xx, connection trouble: retry later) or permanent (5xx: the
 * address is suppressed).
 */
import fs from "node:fs";
import nodemailer from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool/index.js";
import type { MailConfig } from "../lib/config.ts";
import { ValidationError } from "../lib/errors.ts";

/** One message as the transport sends it. */
export interface OutgoingMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
  /** A Reply-To address (already validated). */
  replyTo?: string;
  attachments?: { filename: string; contentType: string; content: Buffer }[];
}

export interface SendResult {
  /** The server's final reply, e.g. "250 2.0.0 Ok: queued as ABC". */
  response: string;
}

/** A failed send: `permanent` for a 5xx reply, else temporary. */
export class SendError extends Error {
  readonly permanent: boolean;
  readonly responseCode?: number;
  constructor(message: string, permanent: boolean, responseCode?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SendError";
    this.permanent = permanent;
    this.responseCode = responseCode;
  }
}

export interface Mailer {
  send(message: OutgoingMessage): Promise<SendResult>;
  /** Connect and authenticate once; throws SendError with the reason. */
  verify(): Promise<void>;
  close(): void;
}

/** Where a mailer sends, without credentials: for messages and logs. */
export function describeSmtp(smtpUrl: string): string {
  const u = new URL(smtpUrl);
  return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ""}`;
}

/** Turn a nodemailer error into a SendError (pure). 5xx replies are permanent; all else is temporary. */
export function classifyError(err: unknown): SendError {
  const e = err as { responseCode?: number; response?: string; message?: string; code?: string };
  const code = typeof e.responseCode === "number" ? e.responseCode : undefined;
  const text = (e.response || e.message || String(err)).trim();
  const permanent = code !== undefined && code >= 500 && code < 600;
  return new SendError(code ? text : `${e.code ? `${e.code}: ` : ""}${text}`, permanent, code, { cause: err });
}

/** Create the pooled SMTP mailer from the configuration. Throws ValidationError for a bad DKIM key file. */
export function createMailer(mail: MailConfig & { smtpUrl: string }): Mailer {
  const url = new URL(mail.smtpUrl);
  let dkim: SMTPPool.Options["dkim"];
  if (mail.dkim) {
    let privateKey: string;
    try {
      privateKey = fs.readFileSync(mail.dkim.keyFile, "utf8");
    } catch (err) {
      throw new ValidationError(`LINER_DKIM_KEY_FILE: cannot read ${mail.dkim.keyFile}`, { cause: err });
    }
    if (!privateKey.includes("PRIVATE KEY")) {
      throw new ValidationError(`LINER_DKIM_KEY_FILE: ${mail.dkim.keyFile} is not a PEM private key`);
    }
    dkim = { domainName: mail.dkim.domain, keySelector: mail.dkim.selector, privateKey };
  }
  const options: SMTPPool.Options = {
    pool: true,
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port ? Number(url.port) : url.protocol === "smtps:" ? 465 : 587,
    secure: url.protocol === "smtps:",
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    maxConnections: mail.concurrency,
    maxMessages: 1000,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    // Loopback test servers have no certificate; elsewhere STARTTLS is used when offered.
    tls: { rejectUnauthorized: !["127.0.0.1", "localhost", "::1"].includes(url.hostname) },
    dkim,
  };
  const transport = nodemailer.createTransport(options);
  return {
    async send(m) {
      try {
        const info = await transport.sendMail({
          from: mail.from,
          to: m.to,
          subject: m.subject,
          html: m.html,
          text: m.text,
          messageId: m.messageId,
          headers: m.headers,
          replyTo: m.replyTo,
          attachments: m.attachments,
        });
        return { response: String(info.response ?? "250 OK") };
      } catch (err) {
        throw classifyError(err);
      }
    },
    async verify() {
      try {
        await transport.verify();
      } catch (err) {
        throw classifyError(err);
      }
    },
    close() {
      transport.close();
    },
  };
}
