/**
 * The post editor's submit, without HTTP: the button's state machine (save, publish, schedule,
 * unpublish) from the typed values to a `PostInput`, and the whole submit (uploads first, media
 * checks, other modules' editor parts, save, where to go next). The admin route only parses the
 * form and renders what this returns; tests drive it directly (editor.test.ts).
 */
import type { AppContext } from "../lib/context.ts";
import type { PostKind, PostStatus } from "../lib/db/schema.ts";
import { HttpError, ValidationError } from "../lib/errors.ts";
import { type Actor, hasRole } from "../lib/roles.ts";
import { getTimeZone } from "../lib/settings/time-zone.ts";
import { fromLocalInput } from "../lib/time.ts";
import { type FieldErrors, fieldErrorOf } from "../lib/ui/form.ts";
import { mediaById, saveUpload } from "./media.ts";
import { type PostInput, postInputProblems, postKinds, renderBody, savePost } from "./service.ts";
import type { PostRow } from "./store.ts";

/** Everything the editor form shows, as the user typed it (strings), so errors never lose input. */
export interface EditorValues {
  title: string;
  kind: string;
  slug: string;
  summary: string;
  body: string;
  themeIds: string[];
  coverMediaId: string;
  /** Alt text of the cover on this post. */
  coverAlt: string;
  pdfMediaId: string;
  /** The publication time in the site's zone (`YYYY-MM-DDTHH:mm`), or "". */
  publishAt: string;
  /**
   * The values of other modules' editor parts (the event fields), by the part's position in
   * `ctx.host.editorParts()`; undefined until the post has them.
   */
  parts: (Record<string, string> | undefined)[];
}

/** The post a button acts on: only its status and publication time matter to the state machine. */
export type ExistingPost = Pick<PostRow, "status" | "published_at">;

/** A positive id typed into a form, or null. */
export const optionalId = (s: string): number | null => (/^\d+$/.test(s) ? Number(s) : null);

/**
 * The service input for a button press (`action`: save, publish, schedule or unpublish). Pure.
 * Publishing with a past date back-dates; with a future date (or none) it publishes now, and a
 * post scheduled for later is pulled forward to now. Scheduling needs a date; saving a scheduled
 * post keeps it scheduled (at the date in the form). Throws a ValidationError naming the field.
 */
export function postInputFor(
  action: string,
  v: EditorValues,
  existing: ExistingPost | undefined,
  now: Date,
  timeZone: string,
): PostInput {
  const at = v.publishAt ? fromLocalInput(v.publishAt, timeZone) : null;
  if (v.publishAt && !at) throw new ValidationError("publishAt: enter a date and time", { field: "publishAt" });
  let status: PostStatus = existing?.status ?? "draft";
  let publishedAt: Date | null | undefined;
  if (action === "publish") {
    status = "published";
    if (at && at <= now)
      publishedAt = at; // back-dating is allowed
    else if (existing?.published_at && existing.published_at > now.toISOString()) publishedAt = now;
  } else if (action === "schedule" || (action === "save" && status === "scheduled")) {
    status = "scheduled";
    if (!at) throw new ValidationError("publishAt: choose the date and time to publish", { field: "publishAt" });
    publishedAt = at;
  } else if (action === "unpublish") {
    status = "draft";
  } else if (action !== "save") {
    throw new ValidationError("action: unknown button");
  }
  return {
    kind: (postKinds as readonly string[]).includes(v.kind) ? (v.kind as PostKind) : "article",
    title: v.title,
    slug: v.slug.trim() || undefined,
    summary: v.summary,
    body: v.body,
    themeIds: v.themeIds.map(Number).filter((n) => Number.isInteger(n) && n > 0),
    coverMediaId: optionalId(v.coverMediaId),
    coverAlt: v.coverAlt,
    pdfMediaId: optionalId(v.pdfMediaId),
    status,
    publishedAt,
  };
}

/** A submitted editor form: the pressed button, the typed values and the chosen files. */
export interface PostForm {
  /** save, publish, schedule, unpublish or preview. */
  action: string;
  values: EditorValues;
  coverFile?: File;
  pdfFile?: File;
}

/** What a submit leads to: the saved post and where to go, or the form again with its errors. */
export type SubmitOutcome =
  | { ok: true; post: PostRow; notice: string; redirect: string }
  | {
      ok: false;
      /** The typed values, with the ids of files uploaded by this submit filled in. */
      values: EditorValues;
      errors: FieldErrors;
      status: number;
      /** The rendered body, for the Preview button. */
      previewHtml?: string;
    };

/** Service field names → form field names. */
const fieldAliases: Record<string, string> = {
  publishedAt: "publishAt",
  body: "body",
  input: "title",
  coverAlt: "coverAlt",
};

const uploads = [
  ["coverFile", "coverMediaId", "image"],
  ["pdfFile", "pdfMediaId", "pdf"],
] as const;

const mediaTypes = [
  ["coverMediaId", "image/"],
  ["pdfMediaId", "application/pdf"],
] as const;

/** The notice code after a save (`?msg=`), by the button pressed and the status reached. */
function noticeFor(action: string, saved: PostRow): string {
  if (action === "publish" || action === "schedule") return saved.status;
  if (action === "unpublish") return "unpublished";
  return saved.status === "draft" ? "draft" : "saved";
}

/**
 * Submit the editor form for a new post (`existing` undefined) or an existing one. Uploads are
 * stored first, so a chosen file is kept (as the selected media) even if the form has errors.
 * Then the chosen media are checked, the other modules' parts check their fields, the post is
 * saved and the parts store theirs. Every expected problem comes back as field errors with the
 * status to show the form with (an upload's own status, 422, or 400 for a part's fields).
 */
export async function submitPost(
  ctx: AppContext,
  actor: Actor,
  form: PostForm,
  existing?: PostRow,
): Promise<SubmitOutcome> {
  const values: EditorValues = { ...form.values };
  const errors: FieldErrors = {};
  let status = 200;
  for (const [fileField, idField, accept] of uploads) {
    const file = form[fileField];
    if (!file) continue;
    try {
      const m = await saveUpload(ctx, file, actor.id, { accept });
      values[idField] = String(m.id);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      errors[fileField] = err.message;
      status = err.status;
    }
  }
  const again = (extra: { status?: number; previewHtml?: string } = {}): SubmitOutcome => ({
    ok: false,
    values,
    errors,
    status,
    ...extra,
  });
  if (form.action === "preview") {
    const kind = values.kind === "presentation" ? "presentation" : "article";
    return again({ previewHtml: renderBody(kind, values.body).html });
  }
  for (const [field, mime] of mediaTypes) {
    const id = optionalId(values[field]);
    const m = id ? await mediaById(ctx, id) : undefined;
    if (id && !m?.mime.startsWith(mime)) {
      errors[field] = "That file no longer exists, or is not the right type. Choose another.";
      if (status === 200) status = 422;
    }
  }
  if (Object.keys(errors).length) return again();
  const timeZone = await getTimeZone(ctx);
  const parts = await ctx.host.editorParts();
  // Every check runs before answering (the parts' and the post's own), so one submit shows all
  // problems, each next to its field.
  const checked = parts.map((p, i) => p.check(values.kind, values.parts[i], errors, timeZone));
  const record = (err: { message: string; field?: string }) => {
    const { field, message } = fieldErrorOf(err, fieldAliases);
    errors[field || "title"] ??= message;
  };
  let input: PostInput;
  try {
    input = postInputFor(form.action, values, existing, ctx.now(), timeZone);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    record(err);
    // The date (or button) is wrong: the other fields are still checked, as a plain save.
    input = postInputFor("save", { ...values, publishAt: "" }, undefined, ctx.now(), timeZone);
  }
  for (const p of postInputProblems(input)) record({ message: `${p.field}: ${p.message}`, field: p.field });
  if (checked.some((x) => x === null)) return again({ status: 400 });
  if (Object.keys(errors).length) return again({ status: 422 });
  try {
    const post = await savePost(ctx, actor, input, existing?.id);
    for (const [i, input] of checked.entries()) if (input !== undefined) await parts[i].save(ctx, post.id, input);
    const notice = noticeFor(form.action, post);
    // Publishing leads editors on to emailing the post (that page returns here when there are no lists).
    const redirect =
      notice === "published" && hasRole(actor.role, "editor")
        ? `/admin/posts/${post.id}/email?msg=published`
        : `/admin/posts/${post.id}?msg=${notice}`;
    return { ok: true, post, notice, redirect };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const { field, message } = fieldErrorOf(err, fieldAliases);
    errors[field || "title"] = message;
    return again({ status: 422 });
  }
}
