/**
 * Keyset pagination cursors (pure). A cursor is the sort key of the last item on a page:
 * read flag, date (published, else fetched) and id. Offsets would skip or repeat items when
 * the list changes between pages (new items arrive, items are marked read); keys do not.
 */
import { ValidationError } from "../../lib/errors.ts";

export interface Cursor {
  /** 0 or 1: unread items come first in the default view. */
  read: number;
  /** ISO timestamp: coalesce(published_at, fetched_at). */
  date: string;
  id: number;
}

/** The opaque `after` query value for a cursor. */
export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.read}|${c.date}|${c.id}`, "utf8").toString("base64url");
}

const SHAPE = /^([01])\|([0-9T:.+Z-]{10,40})\|(\d{1,15})$/;

/** Parse an `after` value; a malformed one is a 400 naming the parameter. */
export function decodeCursor(raw: string): Cursor {
  const text = raw.length <= 120 && /^[A-Za-z0-9_-]+$/.test(raw) ? Buffer.from(raw, "base64url").toString("utf8") : "";
  const m = SHAPE.exec(text);
  if (!m) {
    throw new ValidationError(
      "The page position in the address (the “after” parameter) is not valid. Start again from the first page.",
      {
        field: "after",
      },
    );
  }
  return { read: Number(m[1]), date: m[2], id: Number(m[3]) };
}
