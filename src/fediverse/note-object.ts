/** The owner's notes in reply to others' posts as ActivityStreams, and where they live. */
import { Mention, Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import type { AppContext } from "../lib/context.ts";
import { type NoteRow, notesStore } from "./notes-store.ts";

/** The path of a note's object. */
export const notePath = (id: number) => `/ap/notes/${id}`;

/** A stored note as ActivityStreams. */
export function noteObject(app: AppContext, row: NoteRow, me: URL): Note {
  const to = new URL(row.to_actor);
  return new Note({
    id: new URL(notePath(row.id), app.config.baseUrl),
    attribution: me,
    replyTarget: new URL(row.in_reply_to),
    content: row.html,
    published: Temporal.Instant.from(row.created_at) as never,
    to,
    cc: PUBLIC_COLLECTION,
    tags: [new Mention({ href: to, name: row.to_handle })],
  });
}

/** The note at `/ap/notes/{id}`, if the path is one of ours. */
export async function noteAt(app: AppContext, path: string): Promise<NoteRow | undefined> {
  const m = /^\/ap\/notes\/(\d{1,12})$/.exec(path);
  return m ? notesStore(app.db).byId(Number(m[1])) : undefined;
}
