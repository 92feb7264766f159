import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { addSubscriber, createList } from "../audience/testing.ts";
import { type CliEnv, cliEnv, runCli } from "../cli/testing.ts";
import { saveTheme, systemActor } from "../content/testing.ts";
import { closeContext } from "../lib/context.ts";
import { createSave } from "../reader/testing.ts";

let env: CliEnv;
const liner = (...args: string[]) => runCli(["digest", ...args], { env: env.env });
before(async () => {
  env = await cliEnv();
  const ctx = await env.open();
  try {
    const theme = (await saveTheme(ctx, { name: "Strategy" })).id;
    await createSave(
      ctx,
      systemActor,
      {
        url: "https://essays.example/moats",
        title: "Moats are made of people",
        blurb: "Short and *sharp*.",
        themeIds: [theme],
        credits: [
          { name: "Field Notes", url: "https://field.example/" },
          { name: "Bea Lin", url: "https://bea.example/" },
        ],
      },
      { fetch: false },
    );
    await createList(ctx, { slug: "team", name: "Team", isPublic: false });
    await addSubscriber(ctx, { email: "dev@example.org", list: "team", confirmed: true, source: "t" });
  } finally {
    await closeContext(ctx);
  }
});
after(() => env.cleanup());

test("liner digest draft, list, export (md and html) and send", async () => {
  const since = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const draft = await liner("draft", "--since", since);
  assert.equal(draft.code, 0, draft.stderr);
  const id = /^Draft digest (\d+): “Flash Report, week \d+”/.exec(draft.stdout)?.[1];
  assert.ok(id, draft.stdout);
  assert.match(draft.stdout, /\nStrategy\n {2}\[\d+\] Moats are made of people {2}https:\/\/essays\.example\/moats\n/);

  const list = await liner("list");
  assert.match(list.stdout, new RegExp(`^${id}\\tdraft\\t\\d{4}-\\d{2}-\\d{2}\\tFlash Report`, "m"));

  const md = await liner("export", id, "--format", "md");
  assert.equal(md.code, 0, md.stderr);
  assert.match(
    md.stdout,
    /^# Flash Report, week \d+\n\n## Strategy\n\n### \[Moats are made of people\]\(https:\/\/essays\.example\/moats\)\n\nShort and \*sharp\*\.\n\n\*via \[Field Notes\]\(https:\/\/field\.example\/\), who found it at \[Bea Lin\]\(https:\/\/bea\.example\/\)\*\n$/,
  );
  const html = await liner("export", id, "--format", "html");
  assert.match(
    html.stdout,
    /<a class="u-url p-name" href="https:\/\/essays\.example\/moats">Moats are made of people<\/a>/,
  );
  assert.match(html.stdout, /<em>sharp<\/em>/);
  assert.doesNotMatch(html.stdout, /\/d\//, "exports carry the original links, not tracked ones");

  const bad = await liner("export", id, "--format", "pdf");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--format: "pdf" is not md or html/);
  const noList = await liner("send", id);
  assert.equal(noList.code, 2);
  assert.match(noList.stderr, /missing --list SLUG/);
  const wrong = await liner("send", id, "--list", "nope");
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /There is no list “nope”/);

  const sent = await liner("send", id, "--list", "team");
  assert.equal(sent.code, 0, sent.stderr);
  assert.match(
    sent.stdout,
    new RegExp(`^Digest ${id} queued to 1 recipient \\(send \\d+\\); its page: http://\\S+/digests/${id}/\\S+`),
  );
  const again = await liner("send", id, "--list", "team");
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already been sent/);
  assert.match((await liner("list")).stdout, new RegExp(`^${id}\\tsent \\(private\\)`, "m"));
  const missing = await liner("export", "999", "--format", "md");
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /There is no digest 999/);
});

test("a day that does not exist is a usage error, not the next month; a missing digest is one line, exit 1", async () => {
  const typo = await liner("draft", "--since", "2026-02-30");
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /--since: "2026-02-30" is not a date/);
  for (const args of [
    ["send", "999", "--list", "articles"],
    ["export", "999", "--format", "md"],
  ]) {
    const r = await liner(...args);
    assert.equal(r.code, 1, args.join(" "));
    assert.equal(r.stderr, "liner: There is no digest 999.\n", "no stack trace");
  }
});
