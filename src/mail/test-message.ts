/** The test message of the Email page ("send a test to me") and of `liner mail test`. Pure. */
import { h } from "../lib/html.ts";
import { emailLayout } from "./layout.ts";

/** Subject, HTML (in the shared email layout) and text of a test message; `from` says where it was sent from. */
export function testMessage(from: string) {
  const subject = "Liner Notes test message";
  const line = `This test message was sent ${from}.`;
  return { subject, html: emailLayout({ title: subject, body: h`<p>${line}</p>` }), text: `${line}\n` };
}
