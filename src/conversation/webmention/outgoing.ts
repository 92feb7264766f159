/** STUB (replaced by the sending work): queue Webmentions when a post changes. */
import type { AppContext } from "../../lib/context.ts";
import type { PostChange } from "../../lib/module.ts";

/** Listener of "post.changed". */
export async function onPostChanged(_ctx: AppContext, _change: PostChange): Promise<void> {}
