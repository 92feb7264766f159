/**
 * The fediverse's part of the post editor: "Pin to the fediverse profile" (the actor's
 * `featured` collection, which Mastodon shows at the top of the profile).
 */
import { html } from "hono/html";
import type { EditorPart } from "../lib/module.ts";
import { FEDERATED_KINDS } from "./posts.ts";
import { pinStore } from "./relations-store.ts";

const federated = (kind: string) => (FEDERATED_KINDS as readonly string[]).includes(kind);

/** Pinning per post, in the editor. */
export const pinEditorPart: EditorPart<boolean> = {
  async load(ctx, postId) {
    return (await pinStore(ctx.db).ids()).includes(postId) ? { fediPin: "1" } : undefined;
  },
  fromForm: (field) => ({ fediPin: field("fediPin") === "1" ? "1" : "" }),
  check(kind, values) {
    return federated(kind) ? values?.fediPin === "1" : undefined;
  },
  async save(ctx, postId, pinned) {
    await pinStore(ctx.db).set(postId, pinned, ctx.now().toISOString());
  },
  fieldset(values, _errors, kind) {
    if (!federated(kind)) return html``;
    return html`<div class="field"><label><input type="checkbox" name="fediPin" value="1"${values?.fediPin === "1" ? html` checked` : ""}> Pin to the fediverse profile</label></div>`;
  },
};
