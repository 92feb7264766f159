/** The public "Work with me" page: intro, the contact form, and the thank-you. */
import { type H, h } from "../lib/html.ts";
import { type Chrome, layout } from "../site/index.ts";
import { FORM_PATH, LIMITS } from "./service.ts";

export interface InquiryFormData {
  token: string;
  intro: string;
  sourcePage: string;
  referrer: string;
  name?: string;
  email?: string;
  topic?: string;
  message?: string;
  /** The field the error is about, marked invalid and pointed to by the message. */
  error?: { message: string; field?: string };
  notice?: string;
}

const TOPICS = ["Consulting", "Speaking", "Writing", "Workshop or training", "Something else"];

/** The intro as paragraphs (plain text: blank lines separate paragraphs). */
function intro(text: string): H {
  return h`${text
    .split(/\n{2,}/)
    .filter((p) => p.trim())
    .map((p) => h`<p class="intro">${p}</p>`)}`;
}

/** The contact form; the attribution travels in hidden fields, escaped like everything else. */
export function inquiryForm(f: InquiryFormData): H {
  const bad = (field: string) =>
    f.error?.field === field ? h` aria-invalid="true" aria-describedby="inquiry-error"` : "";
  return h`${intro(f.intro)}
<form method="post" action="${FORM_PATH}" class="inquiry-form">
<input type="hidden" name="t" value="${f.token}">
<input type="hidden" name="source_page" value="${f.sourcePage}">
<input type="hidden" name="referrer" value="${f.referrer}">
${f.notice ? h`<p class="form-notice" role="status">${f.notice}</p>` : ""}
${f.error ? h`<p class="form-error" role="alert" id="inquiry-error">${f.error.message}</p>` : ""}
<p><label for="inq-name">Your name</label>
<input id="inq-name" type="text" name="name" required maxlength="${LIMITS.name}" autocomplete="name" value="${f.name ?? ""}"${bad("name")}></p>
<p><label for="inq-email">Email address</label>
<input id="inq-email" type="email" name="email" required maxlength="254" autocomplete="email" value="${f.email ?? ""}"${bad("email")}></p>
<p><label for="inq-topic">Topic (optional)</label>
<input id="inq-topic" type="text" name="topic" maxlength="${LIMITS.topic}" list="inq-topics" value="${f.topic ?? ""}"${bad("topic")}>
<datalist id="inq-topics">${TOPICS.map((t) => h`<option value="${t}"></option>`)}</datalist></p>
<p><label for="inq-message">Message</label>
<textarea id="inq-message" name="message" required rows="8" maxlength="${LIMITS.message}"${bad("message")}>${f.message ?? ""}</textarea></p>
<p class="visually-hidden" aria-hidden="true"><label for="inq-website">Leave this empty</label>
<input id="inq-website" type="text" name="website" tabindex="-1" autocomplete="off"></p>
<p><button type="submit">Send</button></p>
<p class="hint">Your message goes to me only. Nothing is added to any mailing list.</p>
</form>`;
}

/** What everyone sees after sending, people and bots alike. */
export const thanks = h`<p>Thank you, your message is on its way. I will answer at the address you gave.</p>
<p><a href="/">Back to the home page</a></p>`;

/** The page around the form or the thank-you; only the form itself is indexable. */
export function inquiryPage(chrome: Chrome, title: string, body: H, noindex = true): string {
  return layout(
    chrome,
    { title, path: FORM_PATH, noindex, description: "Get in touch about working together." },
    h`<div class="wrap"><header class="page-header"><h1>${title}</h1></header>${body}</div>`,
  );
}
