/**
 * Editing a draft: its page, the one form that saves every text and then does what its pressed
 * button says (move, remove, undo, add a link, send a test, send, hold, release, export), the
 * JSON order endpoint for drag and drop, and "Add a link". A field that does not validate is
 * shown with what was typed (status 422) and the action is not done; the other fields of the same
 * submit are saved, so nothing typed or stored is lost.
 */
import type { Context, Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import { HttpError, statusOf, ValidationError } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { type Body, formBody, idParam, many, one } from "../lib/http/request.ts";
import { fieldErrorOf } from "../lib/ui/form.ts";
import { digestAdminPage } from "./admin-data.ts";
import { holdStep, saveSubmitted, sendStep, testStep, unlessDraft } from "./admin-send.ts";
import { draftOr409 } from "./manage.ts";
import { addLink, type DigestOrder, move, setOrder, setRemoved } from "./service.ts";

const isId = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) > 0;

/** `[{section, entries: [ids]}]` (or `{order: [...]}`) from a JSON body, else null. Pure. */
export function parseOrder(body: unknown): DigestOrder | null {
  const list = Array.isArray(body) ? body : (body as { order?: unknown } | null)?.order;
  if (!Array.isArray(list)) return null;
  const out: DigestOrder = [];
  for (const o of list) {
    const { section, entries } = (o ?? {}) as { section?: unknown; entries?: unknown };
    if (!isId(section) || !Array.isArray(entries) || !entries.every(isId)) return null;
    out.push({ section, entries });
  }
  return out;
}

/** Move, remove or undo as the pressed button says; returns the notice code and the place to come back to. */
async function act(ctx: AppContext, id: number, action: string): Promise<[string, string]> {
  if (action === "" || action === "save") return ["saved", ""];
  const m = /^(?:move:(entry|section):(\d+):(-1|1)|(remove|undo):(\d+))$/.exec(action);
  if (!m) throw new HttpError(400, `Unknown action “${action}”.`);
  if (m[1]) {
    await move(ctx, id, m[1] as "entry" | "section", Number(m[2]), Number(m[3]) as -1 | 1);
    return ["moved", `#${m[1]}-${m[2]}`];
  }
  await setRemoved(ctx, id, Number(m[5]), m[4] === "remove");
  return m[4] === "remove" ? ["removed", ""] : ["restored", `#entry-${m[5]}`];
}

/** Register the editor routes. */
export function digestEditRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  // ?lists=… : back from the send confirmation, with the lists as they were ticked.
  app.get("/digests/:id{[0-9]+}", (c) => {
    const lists = c.req.queries("lists");
    return digestAdminPage(ctx, c, idParam(c), lists ? { defaultLists: lists } : {});
  });

  app.post("/digests/:id{[0-9]+}", async (c) => {
    const id = idParam(c);
    const b = await formBody(c);
    const failed = (await unlessDraft(ctx, c, id)) ?? (await saveSubmitted(ctx, c, id, b));
    if (failed) return failed;
    const action = one(b, "action");
    // Enter in the link's address field presses the form's first button (Save): add the link too.
    if (action === "add-link" || ((action === "" || action === "save") && one(b, "url").trim())) {
      return addLinkStep(c, id, b);
    }
    if (action === "test") return testStep(ctx, c, id);
    if (action === "send") return sendStep(ctx, c, id, b);
    if (action === "hold" || action === "release") return holdStep(ctx, c, id, action === "hold");
    if (action === "export:md" || action === "export:html") {
      return c.redirect(`/admin/digests/${id}/export.${action.slice(7)}`, 303);
    }
    const [msg, anchor] = await act(ctx, id, action);
    return c.redirect(`/admin/digests/${id}?msg=${msg}${anchor}`, 303);
  });

  app.post("/digests/:id{[0-9]+}/order", async (c) => {
    const id = idParam(c);
    const fail = (status: number, error: string) => c.json({ error }, status as 400);
    try {
      await draftOr409(ctx, id);
      const order = parseOrder(await c.req.json().catch(() => null));
      if (!order) return fail(400, "The order must be JSON: [{section: id, entries: [ids]}, ...].");
      await setOrder(ctx, id, order);
      return c.json({ ok: true });
    } catch (err) {
      const status = statusOf(err);
      if (status >= 500) throw err;
      return fail(status, (err as Error).message);
    }
  });

  /** Add the link of the form's "Add a link" fields; a bad one comes back at its field, filled in. */
  async function addLinkStep(c: Context<AppEnv>, id: number, b: Body) {
    try {
      const entry = await addLink(ctx, id, {
        url: one(b, "url"),
        blurb: one(b, "blurb"),
        sectionId: Number(one(b, "section")) || undefined,
      });
      return c.redirect(`/admin/digests/${id}?msg=added#entry-${entry}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { field, message } = fieldErrorOf(err);
      const values = Object.fromEntries(Object.keys(b).map((k) => [k, one(b, k)]));
      return digestAdminPage(ctx, c, id, {
        values,
        errors: { [field || "url"]: message },
        defaultLists: many(b, "lists"),
        status_: 422,
      });
    }
  }

  app.post("/digests/:id{[0-9]+}/links", async (c: Context<AppEnv>) => {
    const id = idParam(c);
    const b = await formBody(c);
    return (await unlessDraft(ctx, c, id)) ?? (await saveSubmitted(ctx, c, id, b)) ?? addLinkStep(c, id, b);
  });
}
