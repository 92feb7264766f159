/**
 * Test support: a tiny browser for `app.request()` that keeps cookies between requests,
 * and `signIn()` which creates a staff account and signs it in through the real login form.
 */
import type { Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import type { Role } from "../lib/db/schema.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createUser, type UserRow } from "./users.ts";

export type FormFields = Record<string, string | number | File | (string | number)[]>;

export interface RequestOptions extends RequestInit {
  /** Add the CSRF token (header for `request`, `_csrf` field for `form`). Default true. */
  csrf?: boolean;
}

export interface Browser {
  cookies: Map<string, string>;
  /** The CSRF token of the current session (or visitor cookie). */
  csrf: string;
  request(path: string, init?: RequestOptions): Promise<Response>;
  /** POST a form (multipart when it holds a File, else urlencoded). */
  form(path: string, fields: FormFields, init?: RequestOptions): Promise<Response>;
  /** GET a page and read the CSRF token it carries (meta tag or hidden field). */
  refreshCsrf(path?: string): Promise<string>;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** A cookie-keeping client for the app. */
export function browser(app: Hono<AppEnv>): Browser {
  const cookies = new Map<string, string>();
  const b: Browser = {
    cookies,
    csrf: "",
    async request(path, init = {}) {
      const headers = new Headers(init.headers);
      if (cookies.size) headers.set("cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
      const method = (init.method ?? "GET").toUpperCase();
      if (UNSAFE.has(method) && init.csrf !== false && b.csrf && !headers.has("x-csrf-token")) {
        headers.set("x-csrf-token", b.csrf);
      }
      const res = await app.request(path, { ...init, headers });
      for (const line of res.headers.getSetCookie()) {
        const [pair, ...attrs] = line.split(";");
        const i = pair.indexOf("=");
        const name = pair.slice(0, i).trim();
        const value = pair.slice(i + 1).trim();
        const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
        if (expired) cookies.delete(name);
        else cookies.set(name, value);
      }
      return res;
    },
    form(path, fields, init = {}) {
      const hasFile = Object.values(fields).some((v) => v instanceof File);
      const entries: [string, string | File][] = [];
      for (const [k, v] of Object.entries(fields)) {
        if (Array.isArray(v)) for (const x of v) entries.push([k, String(x)]);
        else entries.push([k, v instanceof File ? v : String(v)]);
      }
      if (init.csrf !== false) entries.push(["_csrf", b.csrf]);
      let body: FormData | URLSearchParams;
      if (hasFile) {
        body = new FormData();
        for (const [k, v] of entries) body.append(k, v);
      } else {
        body = new URLSearchParams(entries as [string, string][]);
      }
      // The token travels in the form, as a browser would send it; no header.
      return b.request(path, { method: "POST", ...init, body, csrf: false });
    },
    async refreshCsrf(path = "/admin") {
      const text = await (await b.request(path)).text();
      const m = /name="csrf-token" content="([^"]*)"/.exec(text) ?? /name="_csrf" value="([^"]*)"/.exec(text);
      b.csrf = m?.[1] ?? "";
      return b.csrf;
    },
  };
  return b;
}

export const TEST_PASSWORD = "correct horse battery staple";

/** Create a user with `createUser` and sign them in through /login. */
export async function signIn(
  ctx: AppContext,
  app: Hono<AppEnv>,
  opts: { role?: Role; email?: string; name?: string; password?: string } = {},
): Promise<Browser & { user: UserRow }> {
  const role = opts.role ?? "owner";
  const user = await createUser(ctx, {
    email: opts.email ?? `${role}-${Math.random().toString(36).slice(2, 8)}@example.com`,
    name: opts.name ?? `Test ${role}`,
    role,
    password: opts.password ?? TEST_PASSWORD,
  });
  const b = browser(app);
  await b.refreshCsrf("/login");
  const res = await b.form("/login", { email: user.email, password: opts.password ?? TEST_PASSWORD });
  if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}: ${await res.text()}`);
  await b.refreshCsrf("/admin");
  return Object.assign(b, { user });
}

// Re-exported for other modules' tests.
export { PAIR_FREE_FAILURES } from "./throttle.ts";
export { createUser, verifyLogin } from "./users.ts";
