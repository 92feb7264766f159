/**
 * The one place that reads the environment. Everything else receives a `Config`.
 * A bad value stops start-up with a one-line message naming the variable.
 */
import path from "node:path";
import { z } from "zod";
import { parseTrustProxy, type TrustProxy } from "./http/client-ip.ts";

export interface Config {
  /** Folder for the SQLite file, uploads and other local state. */
  dataDir: string;
  /** PostgreSQL connection string; undefined means embedded SQLite. */
  databaseUrl?: string;
  /** Public base URL without trailing slash, e.g. https://example.com */
  baseUrl: string;
  /** Whether LINER_BASE_URL set `baseUrl`; else it is a guess from HOST and PORT (see `publicBaseUrl`). */
  baseUrlFromEnv: boolean;
  host: string;
  port: number;
  /** Run background jobs inside the web process (default true; `serve --no-jobs` turns it off). */
  inProcessJobs: boolean;
  /** Secret used to sign tokens; generated and stored in the data folder when unset. */
  secret?: string;
  /** Maximum upload size in bytes. */
  maxUploadBytes: number;
  /** Cache rendered public pages in memory (LINER_PAGE_CACHE=0 turns it off, for benchmarks of the uncached path). */
  pageCache: boolean;
  /** Log level. */
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  /**
   * Let outbound fetches reach loopback, private and link-local addresses
   * (LINER_ALLOW_PRIVATE_FETCH=1: tests, benchmarks, intranets). Off by default: the SSRF guard.
   */
  allowPrivateFetch: boolean;
  /** Webmentions accepted per sending address per hour (LINER_WEBMENTION_PER_HOUR, default 300). */
  webmentionsPerHour: number;
  /** LinkedIn's API origin (LINER_LINKEDIN_API, default https://api.linkedin.com): a proxy, or a test's fake. */
  linkedinApi: string;
  /**
   * LinkedIn's sign-in (OAuth 2.0) for "Connect with LinkedIn": its origin (LINER_LINKEDIN_OAUTH,
   * default https://www.linkedin.com) and the owner's LinkedIn app (LINER_LINKEDIN_CLIENT_ID and
   * LINER_LINKEDIN_CLIENT_SECRET); without the app, a token is pasted instead.
   */
  linkedinOAuth: { origin: string; clientId?: string; clientSecret?: string };
  /** Activities each fediverse server may send the inbox per minute (LINER_FEDI_PER_SERVER_PER_MINUTE). */
  fediPerServerPerMinute: number;
  /**
   * The reverse proxies whose X-Forwarded-For / Forwarded headers name the client (for rate
   * limits): their addresses and ranges, or how many stand in front (LINER_TRUST_PROXY).
   * Undefined: none, the connecting address is the client.
   */
  trustProxy?: TrustProxy;
  /** Outgoing email; `smtpUrl` undefined means email is not set up (mail waits in the outbox). */
  mail: MailConfig;
  /**
   * argon2id cost for new password hashes (verification reads the cost stored in each hash).
   * Not read from the environment: the default is the library's, and only tests lower it.
   */
  passwordHash: { memoryKib: number; passes: number };
}

export interface MailConfig {
  /** smtp:// or smtps:// URL with credentials (SMTP_URL). Never logged. */
  smtpUrl?: string;
  /** The From address, e.g. "Ann Example <ann@example.com>" (LINER_MAIL_FROM). */
  from: string;
  /** Messages per second at most (LINER_MAIL_RATE, default 20). */
  ratePerSecond: number;
  /** Concurrent SMTP connections (LINER_MAIL_CONCURRENCY, default 4). */
  concurrency: number;
  /** DKIM signing: a PEM private key file, the selector and the signing domain. */
  dkim?: { keyFile: string; selector: string; domain: string };
  /** Shared secret of the bounce/complaint webhook (LINER_MAIL_WEBHOOK_SECRET); unset: webhook off. */
  webhookSecret?: string;
}

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.variable = variable;
    this.name = "ConfigError";
  }
}

const schemas = {
  LINER_DATA: z.string().min(1),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  LINER_BASE_URL: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
  HOST: z.string().min(1),
  PORT: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(0)
    .max(65535, "must be at most 65535"),
  LINER_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  LINER_MAX_UPLOAD_MB: z.coerce.number().positive("must be a positive number"),
  LINER_PAGE_CACHE: z.enum(["0", "1"], { error: "must be 0 or 1" }),
  LINER_LOG: z.enum(["debug", "info", "warn", "error", "silent"]),
  LINER_ALLOW_PRIVATE_FETCH: z.enum(["0", "1"], { error: "must be 0 or 1" }),
  LINER_WEBMENTION_PER_HOUR: z.coerce.number().int("must be a whole number").positive("must be a positive number"),
  LINER_LINKEDIN_API: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }),
  LINER_LINKEDIN_OAUTH: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }),
  LINER_LINKEDIN_CLIENT_ID: z.string().optional(),
  LINER_LINKEDIN_CLIENT_SECRET: z.string().optional(),
  LINER_FEDI_PER_SERVER_PER_MINUTE: z.coerce
    .number()
    .int("must be a whole number")
    .positive("must be a positive number"),
  SMTP_URL: z
    .string()
    .refine(validSmtpUrl, "must be smtp://[user:password@]host[:port] or smtps://... (credentials URL-encoded)")
    .optional(),
  LINER_MAIL_FROM: z
    .string()
    .regex(/^(?:[^<>]*<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/, {
      error: 'must be an address, e.g. "Ann <ann@example.com>" or ann@example.com',
    })
    .optional(),
  LINER_MAIL_RATE: z.coerce.number({ error: "must be a number" }).positive("must be a positive number"),
  LINER_MAIL_CONCURRENCY: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(64, "must be at most 64"),
  LINER_DKIM_KEY_FILE: z.string().min(1).optional(),
  LINER_DKIM_SELECTOR: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, "must be a DNS label, e.g. liner")
    .optional(),
  LINER_DKIM_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, "must be a domain, e.g. example.com")
    .optional(),
  LINER_MAIL_WEBHOOK_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
} as const;

/** smtp:// or smtps:// with a host; the message never echoes the value (it holds a password). */
function validSmtpUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return (u.protocol === "smtp:" || u.protocol === "smtps:") && u.hostname !== "";
  } catch {
    return false;
  }
}

/** Variables whose values are secret: errors name them without echoing the value. */
const SECRET_VARS = new Set([
  "SMTP_URL",
  "LINER_SECRET",
  "LINER_MAIL_WEBHOOK_SECRET",
  "DATABASE_URL",
  "LINER_LINKEDIN_CLIENT_SECRET",
]);

type Env = Record<string, string | undefined>;

function read<K extends keyof typeof schemas>(env: Env, key: K, fallback?: string): z.infer<(typeof schemas)[K]> {
  const raw = env[key] === "" ? undefined : (env[key] ?? fallback);
  const result = schemas[key].safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const got = SECRET_VARS.has(key) ? "" : ` (got ${JSON.stringify(raw)})`;
    const msg = raw === undefined ? "is required" : `${issue?.message ?? "is invalid"}${got}`;
    throw new ConfigError(key, msg);
  }
  return result.data as z.infer<(typeof schemas)[K]>;
}

/** Build a Config from an environment map (defaults to process.env). Throws ConfigError. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const host = read(env, "HOST", "127.0.0.1");
  const port = read(env, "PORT", "4321");
  const baseUrl = read(env, "LINER_BASE_URL") ?? `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const config: Config = {
    dataDir: path.resolve(read(env, "LINER_DATA", "./data")),
    databaseUrl: read(env, "DATABASE_URL"),
    baseUrl: baseUrl.replace(/\/+$/, ""),
    baseUrlFromEnv: read(env, "LINER_BASE_URL") !== undefined,
    host,
    port,
    inProcessJobs: true,
    secret: read(env, "LINER_SECRET"),
    maxUploadBytes: Math.round(read(env, "LINER_MAX_UPLOAD_MB", "10") * 1024 * 1024),
    pageCache: read(env, "LINER_PAGE_CACHE", "1") === "1",
    logLevel: read(env, "LINER_LOG", env.NODE_ENV === "test" ? "silent" : "info"),
    allowPrivateFetch: read(env, "LINER_ALLOW_PRIVATE_FETCH", "0") === "1",
    webmentionsPerHour: read(env, "LINER_WEBMENTION_PER_HOUR", "300"),
    fediPerServerPerMinute: read(env, "LINER_FEDI_PER_SERVER_PER_MINUTE", "1200"),
    linkedinApi: new URL(read(env, "LINER_LINKEDIN_API", "https://api.linkedin.com")).origin,
    linkedinOAuth: {
      origin: new URL(read(env, "LINER_LINKEDIN_OAUTH", "https://www.linkedin.com")).origin,
      clientId: read(env, "LINER_LINKEDIN_CLIENT_ID"),
      clientSecret: read(env, "LINER_LINKEDIN_CLIENT_SECRET"),
    },
    trustProxy: trustProxyConfig(env),
    mail: mailConfig(env, baseUrl),
    passwordHash: { memoryKib: 65536, passes: 3 },
    ...overrides,
  };
  return config;
}

function trustProxyConfig(env: Env): TrustProxy | undefined {
  try {
    return parseTrustProxy(env.LINER_TRUST_PROXY);
  } catch (err) {
    throw new ConfigError("LINER_TRUST_PROXY", (err as Error).message);
  }
}

function mailConfig(env: Env, baseUrl: string): MailConfig {
  const from = read(env, "LINER_MAIL_FROM") ?? `Liner Notes <liner@${new URL(baseUrl).hostname}>`;
  const keyFile = read(env, "LINER_DKIM_KEY_FILE");
  const selector = read(env, "LINER_DKIM_SELECTOR");
  let dkim: MailConfig["dkim"];
  if (keyFile) {
    if (!selector) throw new ConfigError("LINER_DKIM_SELECTOR", "is required when LINER_DKIM_KEY_FILE is set");
    const domain = read(env, "LINER_DKIM_DOMAIN") ?? /@([^>\s]+)>?$/.exec(from)?.[1] ?? "";
    dkim = { keyFile: path.resolve(keyFile), selector, domain };
  }
  return {
    smtpUrl: read(env, "SMTP_URL"),
    from,
    ratePerSecond: read(env, "LINER_MAIL_RATE", "20"),
    concurrency: read(env, "LINER_MAIL_CONCURRENCY", "4"),
    dkim,
    webhookSecret: read(env, "LINER_MAIL_WEBHOOK_SECRET"),
  };
}
