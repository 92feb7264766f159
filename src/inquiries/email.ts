/**
 * The email that brings an inquiry to the owner (pure): who wrote, about what, the message, and
 * where they came from, in the shared email layout. Everything the visitor typed is escaped by
 * the `h` template; nothing in it is filled in later, so it arrives exactly as typed.
 */
import { h } from "../lib/html.ts";
import { emailLayout, emailLink, type MailContent, smallPrint } from "../mail/index.ts";
import type { InquiryRow } from "./store.ts";

/** Subject, HTML and text of the owner's copy of an inquiry. */
export function inquiryEmail(row: InquiryRow, baseUrl: string): MailContent {
  const subject = `Work with me: ${row.name}${row.topic ? ` (${row.topic})` : ""}`;
  const source = row.source_page ? `${baseUrl}${row.source_page}` : "";
  const admin = `${baseUrl}/admin/inquiries`;
  const facts: [string, string][] = [
    ["From", `${row.name} <${row.email}>`],
    ["Topic", row.topic || "(none given)"],
    ["Sent from", source || "(unknown)"],
    ["Referrer", row.referrer || "(none)"],
  ];
  // Blank lines part paragraphs; a single line break stays one.
  const paragraphs = row.message
    .split(/\n{2,}/)
    .map((p) => h`<p style="margin:0 0 12px">${p.split("\n").map((line, i) => h`${i ? h`<br>` : ""}${line}`)}</p>\n`);
  const html = emailLayout({
    title: subject,
    fontSize: 16,
    body: h`<p>A new inquiry came in through the Work with me form. Reply to this email to answer ${row.name}.</p>
<table style="border-collapse:collapse;margin:0 0 16px">
${facts.map(([k, v]) => h`<tr><th style="text-align:left;padding:2px 12px 2px 0;vertical-align:top">${k}</th><td style="overflow-wrap:anywhere">${v}</td></tr>\n`)}</table>
${paragraphs}`,
    footer: smallPrint(emailLink(admin, "All inquiries")),
  });
  const text = `A new inquiry came in through the Work with me form. Reply to this email to answer ${row.name}.\n\n${facts
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n")}\n\n${row.message}\n\n--\nAll inquiries: ${admin}\n`;
  return { subject, html, text };
}
