/** /admin/accounts (Settings → Accounts): connect, check, set the editor's defaults, remove (owners only). */
import type { Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { contentChanged } from "../../content/index.ts";
import type { AppContext } from "../../lib/context.ts";
import { ValidationError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { type Body, formBody, idParam, one } from "../../lib/http/request.ts";
import { requireUser } from "../../lib/http/require-user.ts";
import { getTimeZone } from "../../lib/settings/time-zone.ts";
import { fieldErrorOf } from "../../lib/ui/form.ts";
import { accountById, addBluesky, addLinkedIn, addMastodon, checkAccount } from "../accounts.ts";
import { SHARE_LINKS } from "../blocks.ts";
import {
  beginLinkedIn,
  beginMastodon,
  CALLBACK_PATH,
  finishOAuth,
  OAUTH_TTL_S,
  openPending,
  type PendingOAuth,
  sealPending,
} from "../oauth.ts";
import { accountStore, syndSettings } from "../store.ts";
import { copyRoutes } from "./copy-routes.ts";
import { type AccountsView, accountsPage, KIND_LABELS, leavingPage, removePage } from "./views.ts";

/** The sign-in in progress (OAuth), sealed: see oauth.ts. */
const OAUTH_COOKIE = "liner_oauth";

const notices: Record<string, string> = {
  connected: "Connected: the credential worked.",
  saved: "Saved.",
  removed: "Removed, with its stored credential.",
  checked: "The connection works.",
};

const all = (b: Body, name: string): string[] => {
  const v = b[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === "string");
};

/** Register the page on the admin app. */
export function accountsAdminRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/accounts", requireUser("owner"));
  app.use("/accounts/*", requireUser("owner"));
  app.use("/syndication/*", requireUser("owner"));

  const show = async (c: Context<AppEnv>, extra: Partial<AccountsView> = {}) =>
    accountsPage(c, {
      accounts: await accountStore(ctx.db).list(),
      tz: await getTimeZone(ctx),
      notice: notices[c.req.query("msg") ?? ""],
      linkedinOAuth: !!(ctx.config.linkedinOAuth.clientId && ctx.config.linkedinOAuth.clientSecret),
      callbackUrl: `${ctx.config.baseUrl}${CALLBACK_PATH}`,
      shareLinks: (await syndSettings(ctx.db).get(SHARE_LINKS)) === "1",
      ...extra,
    });
  app.get("/accounts", (c) => show(c));

  /** A connect form's handler: `run` connects (or answers with the way to sign in first). */
  const connect =
    (platform: string, run: (b: Body, c: Context<AppEnv>) => Promise<unknown>) => async (c: Context<AppEnv>) => {
      const b = await formBody(c);
      try {
        const next = await run(b, c);
        return next instanceof Response ? next : c.redirect("/admin/accounts?msg=connected", 303);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const { field, message } = fieldErrorOf(err);
        const typed = { handle: one(b, "handle"), pds: one(b, "pds"), instance: one(b, "instance") };
        return show(c, {
          form: platform,
          typed,
          errors: { [field || "form"]: message },
          error: "Nothing was connected: see the message at the field.",
          status: 400,
        });
      }
    };
  app.post(
    "/accounts/bluesky",
    connect("bluesky", (b) =>
      addBluesky(ctx, { handle: one(b, "handle"), pds: one(b, "pds") || undefined, password: one(b, "password") }),
    ),
  );
  app.post(
    "/accounts/mastodon",
    connect("mastodon", (b) => addMastodon(ctx, { instance: one(b, "instance"), token: one(b, "token") })),
  );
  app.post(
    "/accounts/linkedin",
    connect("linkedin", (b) => addLinkedIn(ctx, { token: one(b, "token") })),
  );

  // Signing in there instead of pasting a token (OAuth): off to the platform, and back.
  const begin = (platform: string, run: (b: Body) => Promise<{ pending: PendingOAuth; authorizeUrl: string }>) =>
    connect(platform, async (b, c) => {
      const { pending, authorizeUrl } = await run(b);
      setCookie(c, OAUTH_COOKIE, sealPending(ctx, pending), {
        path: "/admin/accounts",
        httpOnly: true,
        sameSite: "Lax", // the platform's redirect back is a top-level GET from elsewhere
        secure: ctx.config.baseUrl.startsWith("https:"),
        maxAge: OAUTH_TTL_S,
      });
      // A page that goes on by itself, not a redirect: the admin's Content-Security-Policy lets a
      // form lead only to this site (form-action 'self'), and browsers apply that to redirects.
      return leavingPage(c, authorizeUrl, platform === "mastodon" ? new URL(authorizeUrl).host : "LinkedIn");
    });
  app.post(
    "/accounts/mastodon/authorize",
    begin("mastodon", (b) => beginMastodon(ctx, one(b, "instance"))),
  );
  app.post(
    "/accounts/linkedin/authorize",
    begin("linkedin", async () => beginLinkedIn(ctx)),
  );
  app.get("/accounts/oauth/callback", async (c) => {
    const pending = openPending(ctx, getCookie(c, OAUTH_COOKIE));
    deleteCookie(c, OAUTH_COOKIE, { path: "/admin/accounts" });
    try {
      await finishOAuth(ctx, pending, c.req.query());
      return c.redirect("/admin/accounts?msg=connected", 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return show(c, { form: pending?.platform, errors: { form: err.message }, error: err.message, status: 400 });
    }
  });

  app.post("/accounts/share-links", async (c) => {
    const on = one(await formBody(c), "shareLinks") === "1";
    await syndSettings(ctx.db).put(SHARE_LINKS, on ? "1" : "0");
    await contentChanged(ctx); // every post's page changes
    return c.redirect("/admin/accounts?msg=saved", 303);
  });
  app.post("/accounts/:id{[0-9]+}/kinds", async (c) => {
    const a = await accountById(ctx, idParam(c));
    const kinds = all(await formBody(c), "kinds").filter((k) => k in KIND_LABELS);
    await accountStore(ctx.db).setKinds(a.id, JSON.stringify(kinds));
    return c.redirect("/admin/accounts?msg=saved", 303);
  });
  app.post("/accounts/:id{[0-9]+}/check", async (c) => {
    const r = await checkAccount(ctx, await accountById(ctx, idParam(c)));
    return r.ok ? c.redirect("/admin/accounts?msg=checked", 303) : show(c, { error: r.message, status: 502 });
  });
  app.get("/accounts/:id{[0-9]+}/remove", async (c) => removePage(c, await accountById(ctx, idParam(c))));
  app.post("/accounts/:id{[0-9]+}/remove", async (c) => {
    const a = await accountById(ctx, idParam(c));
    await accountStore(ctx.db).remove(a.id);
    return c.redirect("/admin/accounts?msg=removed", 303);
  });
  copyRoutes(ctx, app);
}
