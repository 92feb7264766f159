/**
 * A digest's previews, exports and sending: the preview email (framed by the editor, so it gets
 * its own CSP: inline styles, no scripts, framable by the admin only), Markdown and HTML
 * downloads, "Send a test to me", Send to lists (after one confirmation page with the number of
 * recipients), and hold / release of a scheduled draft. Every POST here first saves the editor's
 * texts it carries, so what was on the screen is what is tested, sent or held.
 */
import type { Context, Hono } from "hono";
import { sendConfirmPage, sendTargets } from "../audience/index.ts";
import type { AppContext } from "../lib/context.ts";
import { HttpError, ValidationError } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { type Body, formBody, idParam, many, one, userOf } from "../lib/http/request.ts";
import { fieldErrorOf } from "../lib/ui/form.ts";
import { digestAdminPage, previewEmail } from "./admin-data.ts";
import { digestExport, draftOr409, setHeld } from "./manage.ts";
import { sendDigest, sendDigestTest } from "./publish.ts";
import { loadDigest, saveDraftTexts } from "./service.ts";

/** The preview's policy: the email's inline styles and https images, nothing that runs. */
export const PREVIEW_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/**
 * Null while the digest is a draft; once sent (or unknown: 404), its page again saying why
 * nothing changed (409), instead of a bare error page.
 */
export async function unlessDraft(ctx: AppContext, c: Context<AppEnv>, id: number) {
  try {
    await draftOr409(ctx, id);
    return null;
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 409) throw err;
    return digestAdminPage(ctx, c, id, { error: err.message, status_: 409 });
  }
}

/** Every submitted field as one string each, to show the form again as it was. */
const valuesOf = (b: Body) => Object.fromEntries(Object.keys(b).map((k) => [k, one(b, k)]));

/**
 * Save the editor texts a form carries (none: nothing to do). When a field does not validate,
 * returns the editor again with what was typed and the message at the field (422); else null.
 */
export async function saveSubmitted(ctx: AppContext, c: Context<AppEnv>, id: number, b: Body) {
  const errors = await saveDraftTexts(ctx, id, (name) => (b[name] === undefined ? undefined : one(b, name)));
  if (Object.keys(errors).length === 0) return null;
  return digestAdminPage(ctx, c, id, { values: valuesOf(b), errors, defaultLists: many(b, "lists"), status_: 422 });
}

/** The editor again with a problem of the send (no list, no entries) beside the list checkboxes. */
function sendProblem(ctx: AppContext, c: Context<AppEnv>, id: number, b: Body, err: ValidationError) {
  return digestAdminPage(ctx, c, id, {
    values: valuesOf(b),
    errors: { lists: fieldErrorOf(err).message },
    error: `Not sent: ${fieldErrorOf(err).message} Everything else is saved.`,
    defaultLists: many(b, "lists"),
    status_: 422,
  });
}

/**
 * "Send the digest": the confirmation page naming how many subscribers of which lists get it,
 * or, with `confirm=1` (its Send button), the send itself.
 */
export async function sendStep(ctx: AppContext, c: Context<AppEnv>, id: number, b: Body) {
  const lists = many(b, "lists");
  try {
    if (one(b, "confirm") === "1") {
      await sendDigest(ctx, id, lists, userOf(c).id);
      return c.redirect(`/admin/digests/${id}?msg=sent`, 303);
    }
    const { digest, view } = await loadDigest(ctx, id);
    if (!view.sections.some((s) => s.entries.length))
      throw new ValidationError("This digest has no entries; add some before sending it.", { field: "lists" });
    const targets = await sendTargets(ctx, lists, "lists");
    return sendConfirmPage(c, {
      what: `the digest “${digest.title}”`,
      targets,
      action: `/admin/digests/${id}/send`,
      back: `/admin/digests/${id}?${lists.map((l) => `lists=${encodeURIComponent(l)}`).join("&")}#send`,
      section: "digests",
    });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return sendProblem(ctx, c, id, b, err);
  }
}

/** "Send a test to me" of what is saved (the caller saved the screen first). */
export async function testStep(ctx: AppContext, c: Context<AppEnv>, id: number) {
  const user = userOf(c);
  await sendDigestTest(ctx, id, { email: user.email, name: user.name, userId: user.id });
  return c.redirect(`/admin/digests/${id}?msg=test`, 303);
}

/** Hold or release a scheduled draft; one that is not scheduled gets its page saying so (409). */
export async function holdStep(ctx: AppContext, c: Context<AppEnv>, id: number, held: boolean) {
  try {
    await setHeld(ctx, id, held);
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 409) throw err;
    return digestAdminPage(ctx, c, id, { error: err.message, status_: 409 });
  }
  return c.redirect(`/admin/digests/${id}?msg=${held ? "held" : "released"}`, 303);
}

/** Register the preview, export and send routes. */
export function digestSendRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.get("/digests/:id{[0-9]+}/preview/email", async (c) => {
    const { view } = await loadDigest(ctx, idParam(c));
    const m = await previewEmail(ctx, view);
    c.header("Content-Security-Policy", PREVIEW_CSP);
    c.header("Cache-Control", "private, no-store");
    return c.html(m.html);
  });
  const download = async (c: Context<AppEnv>, ext: "md" | "html") => {
    const file = await digestExport(ctx, idParam(c), ext);
    c.header("Content-Type", file.contentType);
    c.header("Content-Disposition", `attachment; filename="${file.fileName}"`);
    c.header("Cache-Control", "private, no-store");
    return c.body(file.body);
  };
  app.get("/digests/:id{[0-9]+}/export.md", (c) => download(c, "md"));
  app.get("/digests/:id{[0-9]+}/export.html", (c) => download(c, "html"));

  // These endpoints are also what older pages and scripts post to; the editor posts its one form.
  app.post("/digests/:id{[0-9]+}/test", async (c) => {
    const id = idParam(c);
    const b = await formBody(c);
    const { digest } = await loadDigest(ctx, id);
    if (digest.status === "draft") {
      const failed = await saveSubmitted(ctx, c, id, b);
      if (failed) return failed;
    }
    return testStep(ctx, c, id);
  });

  app.post("/digests/:id{[0-9]+}/send", async (c) => {
    const id = idParam(c);
    const b = await formBody(c);
    return (await unlessDraft(ctx, c, id)) ?? (await saveSubmitted(ctx, c, id, b)) ?? sendStep(ctx, c, id, b);
  });

  app.post("/digests/:id{[0-9]+}/hold", async (c) => {
    const id = idParam(c);
    const b = await formBody(c);
    return (
      (await unlessDraft(ctx, c, id)) ??
      (await saveSubmitted(ctx, c, id, b)) ??
      holdStep(ctx, c, id, one(b, "held") === "1")
    );
  });
}
