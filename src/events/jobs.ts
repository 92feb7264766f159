/**
 * The `events.remind` job: one per event, due 24 hours before it starts (saving the event
 * moves it). Each registered person is reminded once (`reminded_at` is claimed before the email
 * is queued), so a retried or duplicated job sends nothing twice.
 */
import type { AppContext } from "../lib/context.ts";
import { handle } from "../lib/jobs/kinds.ts";
import { REMIND_JOB, reminderDueAt, scheduleReminder, sendReminders } from "./service.ts";
import { eventStore } from "./store.ts";

/** Register the reminder job's handler. */
export function registerEventJobs(ctx: AppContext): void {
  ctx.runner.register(
    handle(REMIND_JOB, async ({ postId }, job) => {
      const ev = await eventStore(ctx.db).byPostWithPost(postId);
      if (!ev) return; // the event was removed
      if (ctx.now() < reminderDueAt(ev)) {
        // Rescheduled to a later start while this job was running: come back at the new time.
        await ctx.jobs.releaseKey(job.id);
        await scheduleReminder(ctx, ev);
        return;
      }
      const sent = await sendReminders(ctx, postId);
      if (sent) ctx.log.info("event reminders queued", { event: postId, sent });
    }),
  );
}
