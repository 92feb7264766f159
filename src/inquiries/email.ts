/**
 * The email that brings an inquiry to the owner (pure): who wrote, about what, the message, and
 * where they came from. Everything the visitor typed is escaped, and "{{" is made inert so the
 * outbox's template filling cannot touch the visitor's text.
 */
import type { InquiryRow } from "./store.ts";

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
const inertHtml = (s: string) => s.replaceAll("{{", "&#123;&#123;");
const inertText = (s: string) => s.replaceAll("{{", "{\u200b{");

/** Subject, HTML and text of the owner's copy of an inquiry. */
export function inquiryEmail(row: InquiryRow, baseUrl: string): { subject: string; html: string; text: string } {
  const subject = inertText(`Work with me: ${row.name}${row.topic ? ` (${row.topic})` : ""}`);
  const source = row.source_page ? `${baseUrl}${row.source_page}` : "";
  const admin = `${baseUrl}/admin/inquiries`;
  const facts: [string, string][] = [
    ["From", `${row.name} <${row.email}>`],
    ["Topic", row.topic || "(none given)"],
    ["Sent from", source || "(unknown)"],
    ["Referrer", row.referrer || "(none)"],
  ];
  const paragraphs = row.message
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 12px">${esc(p).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
  const html = inertHtml(`<!doctype html><html><head><meta charset="utf-8"><title>${esc(subject)}</title></head>
<body style="font-family:system-ui,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;background:#ffffff">
<p>A new inquiry came in through the Work with me form. Reply to this email to answer ${esc(row.name)}.</p>
<table style="border-collapse:collapse;margin:0 0 16px">
${facts.map(([k, v]) => `<tr><th style="text-align:left;padding:2px 12px 2px 0;vertical-align:top">${k}</th><td style="overflow-wrap:anywhere">${esc(v)}</td></tr>`).join("\n")}
</table>
${paragraphs}
<p style="font-size:14px;color:#555555"><a href="${esc(admin)}">All inquiries</a></p>
</body></html>`);
  const text = inertText(
    `A new inquiry came in through the Work with me form. Reply to this email to answer ${row.name}.\n\n${facts
      .map(([k, v]) => `${k}: ${v}`)
      .join("\n")}\n\n${row.message}\n\n--\nAll inquiries: ${admin}\n`,
  );
  return { subject, html, text };
}
