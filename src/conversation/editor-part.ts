/**
 * The conversation's part of the post editor: whether this post takes comments (the site's
 * default, on, or off) and after how many days they close (empty: the site's default).
 */
import { html } from "hono/html";
import type { EditorPart } from "../lib/module.ts";
import { input, select } from "../lib/ui/form.ts";
import { conversationChanged } from "./comments/post-pages.ts";
import { settingsStore } from "./store.ts";

interface CommentChoice {
  comments: "default" | "on" | "off";
  closeAfterDays: number | null;
}

const MODES = ["default", "on", "off"] as const;

/** Comments per post, in the editor. */
export const commentsEditorPart: EditorPart<CommentChoice> = {
  async load(ctx, postId) {
    const row = await settingsStore(ctx.db).post(postId);
    return row ? { comments: row.comments, commentsCloseDays: row.close_after_days?.toString() ?? "" } : undefined;
  },
  fromForm: (field) => ({ comments: field("comments"), commentsCloseDays: field("commentsCloseDays") }),
  check(_kind, values, errors) {
    const mode = (values?.comments || "default") as CommentChoice["comments"];
    if (!MODES.includes(mode)) {
      errors.comments = "Choose the site's default, on, or off.";
      return null;
    }
    const raw = (values?.commentsCloseDays ?? "").trim();
    if (raw && !/^\d{1,4}$/.test(raw)) {
      errors.commentsCloseDays = "A whole number of days (0: never close), or empty for the site's default.";
      return null;
    }
    return { comments: mode, closeAfterDays: raw ? Number(raw) : null };
  },
  async save(ctx, postId, v) {
    await settingsStore(ctx.db).savePost(postId, v.comments, v.closeAfterDays);
    // Saved after the post (whose save cleared the cache): a render in between kept the old form.
    await conversationChanged(ctx, postId);
  },
  fieldset(values, errors) {
    return html`<details class="field comment-fields"${errors.comments || errors.commentsCloseDays ? html` open` : ""}>
  <summary>Comments</summary>
  ${select({
    name: "comments",
    label: "Comments on this post",
    value: values?.comments || "default",
    options: [
      { value: "default", label: "The site's default (Conversations → Settings)" },
      { value: "on", label: "On" },
      { value: "off", label: "Off" },
    ],
    errors,
  })}
  ${input({
    name: "commentsCloseDays",
    label: "Close comments after (days)",
    type: "number",
    value: values?.commentsCloseDays ?? "",
    hint: "Empty: the site's default. 0: never close.",
    errors,
    extra: html` min="0" step="1"`,
  })}
</details>`;
  },
};
