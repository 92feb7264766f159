/**
 * The digest schedule: a weekly time in the owner's time zone (e.g. Fridays 09:00), how many
 * hours before it a draft is prepared (and the owner emailed to review it), whether it then goes
 * out by itself unless held, and the lists it goes to. `nextOccurrence` is pure and works in
 * wall-clock time, so 09:00 stays 09:00 across a daylight-saving change.
 */
import { z } from "zod";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import { fromLocalInput, toLocalInput } from "../lib/time.ts";
import { digestStore } from "./store.ts";

const HOURS = "prepareHours: a whole number of hours from 0 to 144 (six days)";
export const scheduleSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** 0 = Sunday … 6 = Saturday. */
    weekday: z
      .number({ error: "weekday: choose a day of the week" })
      .int({ error: "weekday: choose a day of the week" })
      .min(0, { error: "weekday: choose a day of the week" })
      .max(6, { error: "weekday: choose a day of the week" })
      .default(5),
    time: z
      .string({ error: "time: use HH:MM, e.g. 09:00" })
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "time: use HH:MM, e.g. 09:00" })
      .default("09:00"),
    prepareHours: z
      .number({ error: HOURS })
      .int({ error: HOURS })
      .min(0, { error: HOURS })
      .max(144, { error: HOURS })
      .default(24),
    autoSend: z.boolean().default(false),
    lists: z.array(z.string()).default([]),
  })
  .refine((s) => !(s.enabled && s.autoSend && s.lists.length === 0), {
    error: "lists: choose at least one list for the digest to go out by itself",
    path: ["lists"],
  });
export type DigestSchedule = z.infer<typeof scheduleSchema>;

export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** The first scheduled time strictly after `after`, in `tz`. Pure. */
export function nextOccurrence(after: Date, s: Pick<DigestSchedule, "weekday" | "time">, tz: string): Date {
  const [y, m, d] = toLocalInput(after.toISOString(), tz).slice(0, 10).split("-").map(Number);
  for (let i = 0; i <= 8; i++) {
    const day = new Date(Date.UTC(y, m - 1, d + i));
    if (day.getUTCDay() !== s.weekday) continue;
    const at = fromLocalInput(`${day.toISOString().slice(0, 10)}T${s.time}`, tz);
    if (at && at > after) return at;
  }
  throw new Error("unreachable: a weekday recurs within 8 days");
}

/** The saved schedule (defaults when none). */
export async function getSchedule(ctx: AppContext): Promise<DigestSchedule> {
  const raw = await digestStore(ctx.db).schedule();
  const parsed = scheduleSchema.safeParse(raw ? JSON.parse(raw) : {});
  return parsed.success ? parsed.data : scheduleSchema.parse({});
}

/** Validate and save the schedule. */
export async function saveSchedule(ctx: AppContext, input: unknown): Promise<DigestSchedule> {
  const r = scheduleSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = String(issue?.path[0] ?? "schedule");
    throw new ValidationError(issue?.message.includes(":") ? issue.message : `${field}: ${issue?.message}`, { field });
  }
  await digestStore(ctx.db).putSchedule(JSON.stringify(r.data));
  return r.data;
}
