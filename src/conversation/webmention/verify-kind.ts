/** The job that verifies one received Webmention (its row in `webmentions_in`). */
import { z } from "zod";
import { jobKind } from "../../lib/jobs/kinds.ts";

/** Verify received Webmention `id`: it waits on the source's server, so a batch runs at once. */
export const verifyJob = jobKind("conversation.webmention-verify", z.object({ id: z.number().int().positive() }), {
  parallel: true,
});
