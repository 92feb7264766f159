/**
 * The federation's HTTP side on the app: a small adapter from Hono to `federation.fetch` (there is
 * no @fedify/hono for Fedify 2 here), on the paths Fedify answers (WebFinger, NodeInfo, the actor,
 * its collections and inboxes), with our gate in front of the inboxes; and our objects (posts and
 * the owner's answers) for servers that ask for them as ActivityStreams. What Fedify does not
 * answer (not found, or a browser asking for HTML) goes on to the rest of the app. Other paths
 * never reach Fedify, so pages pay nothing for it.
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { AppContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";

const PATHS = ["/.well-known/webfinger", "/.well-known/nodeinfo", "/nodeinfo/*", "/ap/*"];
const INBOX = /^\/ap\/(?:inbox|actor\/[^/]+\/inbox)$/;
const OBJECT = /^\/ap\/(?:posts|replies|notes)\/\d+$/;

/** Whether a request asks for ActivityStreams rather than a page. */
const wantsActivity = (accept: string | undefined) =>
  !!accept && /application\/(?:activity\+json|ld\+json)/i.test(accept) && !/text\/html/i.test(accept);

/** Public routes: mounted before the site's. */
export function fediverseRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let gate: ReturnType<typeof import("./inbox-gate.ts")["inboxGate"]> | undefined;
  const toFedify: MiddlewareHandler<AppEnv> = async (c, next) => {
    const passOn = async () => {
      await next();
      return c.res;
    };
    // Fedify loads on the first federation request: pages, the CLI and tests that never ask pay nothing.
    const [{ federationOf }, { objectResponse, pageOf }, { inboxGate }] = await Promise.all([
      import("./federation.ts"),
      import("./objects.ts"),
      import("./inbox-gate.ts"),
    ]);
    if (INBOX.test(c.req.path)) {
      if (c.req.method !== "POST")
        return c.text("An inbox takes POSTs of signed activities.\n", 405, { allow: "POST" });
      gate ??= inboxGate(ctx);
      const verdict = await gate(c);
      if (verdict.refused) return verdict.refused;
      const res = await federationOf(ctx).fetch(c.req.raw, {
        contextData: ctx,
        onNotFound: passOn,
        onNotAcceptable: passOn,
      });
      if (res.status < 300) await verdict.accepted?.();
      return res;
    }
    if (c.req.method === "GET" && OBJECT.test(c.req.path)) {
      // A person who follows a fediverse link to our object reads its page instead.
      if (!wantsActivity(c.req.header("accept"))) {
        const page = await pageOf(ctx, c.req.path);
        return page ? c.redirect(page, 302) : c.notFound();
      }
      return (await objectResponse(ctx, c.req.path)) ?? c.notFound();
    }
    if (c.req.method === "GET" && c.req.path.startsWith("/ap/actor/") && !wantsActivity(c.req.header("accept")))
      return c.redirect("/", 302);
    return federationOf(ctx).fetch(c.req.raw, { contextData: ctx, onNotFound: passOn, onNotAcceptable: passOn });
  };
  for (const path of PATHS) app.use(path, toFedify);
  // A post's page asked for as ActivityStreams (a URL pasted into a fediverse app's search).
  app.get("/posts/:slug", async (c, next) => {
    if (!wantsActivity(c.req.header("accept"))) return next();
    const { objectResponse } = await import("./objects.ts");
    return (await objectResponse(ctx, c.req.path)) ?? next();
  });
  return app;
}
