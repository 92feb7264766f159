/**
 * A sent copy after the post changed: brought up to date where the platform allows edits
 * (Mastodon, LinkedIn), or deleted (all three; Bluesky has no edits). A failure leaves the copy as
 * it was, with the platform's message on it; deleting one already gone there is no failure.
 */
import { postById, postPath } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { NotFoundError, ValidationError } from "../lib/errors.ts";
import { invalidatePages } from "../lib/http/page-invalidations.ts";
import { webFetch } from "../lib/net/web-fetch.ts";
import { deleteFromBluesky } from "./bluesky.ts";
import { deleteLinkedInPost, updateLinkedInPost } from "./linkedin.ts";
import { deleteMastodonStatus, editMastodonStatus } from "./mastodon.ts";
import { PlatformError } from "./platform-error.ts";
import { credentialOf } from "./secrets.ts";
import { type AccountRow, accountStore, type CopyRow, copyStore } from "./store.ts";
import { signedInAgent, textFor } from "./syndicate.ts";

/** A sent copy with its account and post, else NotFoundError / ValidationError. */
export async function sentCopy(ctx: AppContext, copyId: number) {
  const copy = await copyStore(ctx.db).byId(copyId);
  if (!copy) throw new NotFoundError(`There is no copy ${copyId}.`);
  const [account, post] = await Promise.all([accountStore(ctx.db).byId(copy.account_id), postById(ctx, copy.post_id)]);
  if (!account || !post) throw new NotFoundError(`Copy ${copyId} belongs to an account or post removed since.`);
  if (copy.status !== "sent" || !copy.remote_id)
    throw new ValidationError("This copy is not out there (only a sent copy can be changed or deleted).", {
      field: "copy",
    });
  return { copy, account, post };
}

/** Send the copy's new text there (empty: made from the post as it is now). Returns the error, if any. */
export async function updateCopy(ctx: AppContext, copyId: number, text: string): Promise<string | undefined> {
  const { copy, account, post } = await sentCopy(ctx, copyId);
  if (account.platform === "bluesky")
    throw new ValidationError("Bluesky has no edits: delete the copy, then send it again.", { field: "copy" });
  const next = text.trim() || (await textFor(ctx, account, post));
  return attempt(ctx, copy, account, async (fetchFn, secret) => {
    const id = copy.remote_id as string;
    if (account.platform === "mastodon")
      await editMastodonStatus(fetchFn, { instance: account.service_url, token: secret }, id, {
        text: next,
        contentWarning: copy.content_warning ?? undefined,
      });
    else await updateLinkedInPost(fetchFn, { api: account.service_url, token: secret }, id, next);
    await copyStore(ctx.db).revised(copy.id, next, ctx.now().toISOString());
  });
}

/** Delete the copy there; the post stops linking to it. Returns the error, if any. */
export async function deleteCopy(ctx: AppContext, copyId: number): Promise<string | undefined> {
  const { copy, account, post } = await sentCopy(ctx, copyId);
  return attempt(ctx, copy, account, async (fetchFn, secret) => {
    const id = copy.remote_id as string;
    if (account.platform === "mastodon")
      await deleteMastodonStatus(fetchFn, { instance: account.service_url, token: secret }, id);
    else if (account.platform === "linkedin")
      await deleteLinkedInPost(fetchFn, { api: account.service_url, token: secret }, id);
    else {
      const uris = [id, ...(copy.remote_more?.split(" ").filter(Boolean) ?? [])];
      await deleteFromBluesky(await signedInAgent(ctx, account, secret), uris.reverse());
    }
    await copyStore(ctx.db).deleted(copy.id, ctx.now().toISOString());
    await invalidatePages(ctx, [postPath(post)]);
  });
}

async function attempt(
  ctx: AppContext,
  copy: CopyRow,
  account: AccountRow,
  run: (fetchFn: typeof fetch, secret: string) => Promise<void>,
): Promise<string | undefined> {
  try {
    await run(webFetch(ctx.fetcher), credentialOf(ctx, account));
    return undefined;
  } catch (err) {
    if (!(err instanceof PlatformError)) throw err;
    await copyStore(ctx.db).reviseFailed(copy.id, err.message, ctx.now().toISOString());
    return err.message;
  }
}
