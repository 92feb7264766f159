/** The content module's job: publishing a scheduled post when its time comes. */
import { z } from "zod";
import type { AppContext } from "../lib/context.ts";
import { handle, jobKind } from "../lib/jobs/kinds.ts";
import { publishDue } from "./service.ts";

/** Publish post `postId` if it is scheduled and due (unique key `publish:<id>`). */
export const publishJob = jobKind("content.publish", z.object({ postId: z.number().int().positive() }));

/** Register the content jobs' handlers on the runner. */
export function registerContentJobs(ctx: AppContext): void {
  ctx.runner.register(
    handle(publishJob, async (p) => {
      await publishDue(ctx, p.postId);
    }),
  );
}
