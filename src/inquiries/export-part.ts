/**
 * The inquiries module's part of the site export (`liner export all`): every inquiry sent through
 * the "Work with me" page, as CSV. Erased inquiries stay erased ("(erased)") in it.
 */

import { stringify } from "csv-stringify/sync";
import { spreadsheetCell } from "../lib/csv.ts";
import type { ExportPart } from "../lib/module.ts";
import { inquiryStore } from "./store.ts";

const cell = spreadsheetCell;

export const INQUIRY_COLUMNS = [
  "received_at",
  "status",
  "name",
  "email",
  "topic",
  "message",
  "source_page",
  "referrer",
];

const inquiries: ExportPart = {
  path: "inquiries.csv",
  describe:
    "Every inquiry from the Work with me page as CSV, oldest first: when it came, its status, the sender's " +
    "name and email, topic, message, the page it was sent from and the page before that (referrer).",
  noun: ["inquiry", "inquiries"],
  async write(ctx, sink) {
    const rows = (await inquiryStore(ctx.db).recent(Number.MAX_SAFE_INTEGER)).reverse();
    const text = stringify(
      rows.map((r) => [
        r.created_at,
        r.status,
        cell(r.name),
        cell(r.email),
        cell(r.topic),
        cell(r.message),
        cell(r.source_page),
        cell(r.referrer),
      ]),
      { header: true, columns: INQUIRY_COLUMNS, record_delimiter: "\r\n" },
    );
    await sink.file("inquiries.csv", text);
    return rows.length;
  },
};

/** The inquiries module's export parts. */
export const inquiryExports: ExportPart[] = [inquiries];
