/** Hono environment types shared by every module's routes. */
import type { Role } from "../db/schema.ts";
import type { NavEntry } from "../ui/layout.ts";
import type { TrustProxy } from "./client-ip.ts";

/** The signed-in staff member, if any. */
export interface SessionUser {
  id: number;
  email: string;
  name: string;
  role: Role;
}

export interface AppEnv {
  Variables: {
    /** Set by the auth session middleware on every request (null when signed out). */
    user: SessionUser | null;
    /** CSRF token for forms on this request (per session; a per-visitor cookie token when signed out). */
    csrfToken: string;
    /** Per-request nonce for the Content-Security-Policy (inline scripts must carry it). */
    nonce: string;
    /** The admin's navigation, set by the admin shell for pages under /admin. */
    adminNav?: NavEntry[];
    /** The site's title, shown at the top of the admin's navigation. */
    adminBrand?: string;
    /** The proxies whose forwarding headers `clientIp` believes (LINER_TRUST_PROXY; set by the app). */
    trustProxy?: TrustProxy;
  };
}
