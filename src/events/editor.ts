/**
 * The events module's part of the post editor (an `EditorPart`, see lib/module.ts): the stored
 * fields as form values, the check before the post is saved (errors go next to their fields,
 * nothing typed is lost), and saving them once the post is.
 */
import type { AppContext } from "../lib/context.ts";
import type { EditorPart } from "../lib/module.ts";
import {
  checkEventValues,
  type EventFormValues,
  type EventInput,
  eventFormValues,
  eventValuesFromForm,
} from "./fields.ts";
import { saveEventDetails } from "./service.ts";
import { eventStore } from "./store.ts";
import { eventFieldset } from "./views/editor.ts";

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
 * For an event post: the checked fields, or null after recording every problem in `errors` under
 * its field. Undefined for other kinds.
 */
export function checkEventFields(
  kind: string,
  values: EventFormValues | undefined,
  errors: Record<string, string>,
  siteZone: string,
): EventInput | null | undefined {
  if (kind !== "event") return undefined;
  const checked = checkEventValues(values ?? eventFormValues(undefined, siteZone));
  Object.assign(errors, checked.errors);
  return checked.input;
}

/** The event fields in the post editor, for event posts. */
export const eventEditorPart: EditorPart<EventInput> = {
  load: (ctx, postId, tz) => eventValuesOf(ctx, postId, tz) as Promise<Record<string, string> | undefined>,
  fromForm: (field) => ({ ...eventValuesFromForm(field) }),
  check: (kind, values, errors, tz) => checkEventFields(kind, values as EventFormValues | undefined, errors, tz),
  save: (ctx, postId, input) => saveEventDetails(ctx, postId, input),
  fieldset: (values, errors, kind, tz) => eventFieldset(values as EventFormValues | undefined, errors, kind, tz),
};
