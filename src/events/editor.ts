/**
 * What the post editor (src/admin/posts.ts) calls for events: the stored fields as form values,
 * the check before the post is saved (errors go next to their fields, nothing typed is lost),
 * and saving them once the post is.
 */
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import { type EventFormValues, type EventInput, eventFormValues, parseEventFields } from "./fields.ts";
import { eventStore } from "./store.ts";

export { eventValuesFromForm } from "./fields.ts";
export { saveEventDetails } from "./service.ts";

/** The stored event of a post as editor values (undefined when it has none yet). */
export async function eventValuesOf(
  ctx: AppContext,
  postId: number,
  siteZone: string,
): Promise<EventFormValues | undefined> {
  const row = await eventStore(ctx.db).byPost(postId);
  return row ? eventFormValues(row, siteZone) : undefined;
}

/**
 * For an event post: the checked fields, or null after recording the problem in `errors` under
 * its field. Undefined for other kinds.
 */
export function checkEventFields(
  kind: string,
  values: EventFormValues | undefined,
  errors: Record<string, string>,
  siteZone: string,
): EventInput | null | undefined {
  if (kind !== "event") return undefined;
  try {
    return parseEventFields(values ?? eventFormValues(undefined, siteZone));
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const field = err.field ?? "eventStart";
    errors[field] = err.message.startsWith(`${field}: `) ? err.message.slice(field.length + 2) : err.message;
    return null;
  }
}
