/**
 * An event's registrants as a spreadsheet: CSV in sign-up order (cancelled last), with every
 * cell a person typed made safe to open in a spreadsheet program.
 */

import { stringify } from "csv-stringify/sync";
import { spreadsheetCell } from "../lib/csv.ts";
import type { EventPost, RegistrationRow } from "./store.ts";

/** Spreadsheets run a cell that starts with = + - @ as a formula: make it text. */
const cell = spreadsheetCell;

/** The registrants of an event as CSV (sign-up order, cancelled last). Pure. */
export function registrantsCsv(ev: EventPost, rows: RegistrationRow[]): string {
  return stringify(
    rows.map((r) => [
      cell(r.name),
      cell(r.email),
      r.status,
      cell(r.answer),
      r.created_at,
      r.promoted_at ?? "",
      r.cancelled_at ?? "",
      cell(r.source_page),
    ]),
    {
      header: true,
      columns: [
        "name",
        "email",
        "status",
        ev.question ? cell(ev.question) : "answer",
        "registered_at",
        "promoted_at",
        "cancelled_at",
        "source_page",
      ],
      record_delimiter: "\r\n",
    },
  );
}
