import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { type CliEnv, cliEnv, runCli } from "../cli/testing.ts";
import { type SmtpSink, smtpSink } from "../mail/testing.ts";

let e: CliEnv;
let sink: SmtpSink;
beforeEach(async () => {
  e = await cliEnv();
  sink = await smtpSink();
  Object.assign(e.env, {
    SMTP_URL: sink.url,
    LINER_MAIL_FROM: "Ann <ann@example.com>",
    LINER_BASE_URL: "https://ann.example",
  });
});
afterEach(async () => {
  await sink.close();
  await e.cleanup();
});

const ok = async (args: string[]) => {
  const r = await runCli(args, { env: e.env });
  assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};

test("lists add, subscribers add, mail send-post: confirmed subscribers get the post; the pending one only a confirmation", async () => {
  assert.match(
    await ok(["lists", "add", "articles", "--name", "New articles", "--promise", "Twice a month."]),
    /Created list “New articles” \(articles, public\)/,
  );
  await ok(["lists", "add", "team", "--name", "Team", "--private"]);
  await ok(["subscribers", "add", "A@Example.net", "--list", "articles", "--confirmed"]);
  await ok(["subscribers", "add", "b@example.net", "--list", "articles", "--confirmed"]);
  await ok(["subscribers", "add", "b@example.net", "--list", "team", "--confirmed"]);
  assert.match(await ok(["subscribers", "add", "c@example.net", "--list", "articles"]), /confirmation email is queued/);
  const file = path.join(e.dataDir, "post.md");
  fs.writeFileSync(
    file,
    "---\ntitle: Why liner notes\nslug: why-liner-notes\nsummary: Credit the source.\n---\n\nSee [the about page](/about) and {{name}}.\n",
  );
  await ok(["post", "publish", file]);
  const queued = await ok(["mail", "send-post", "why-liner-notes", "--list", "articles", "--list", "team"]);
  assert.match(queued, /^Queued send #1 to 3 subscribers/, "b is on two lists and counted per list");
  assert.match(await ok(["worker", "--once"]), /Ran \d+ jobs?/);
  const to = sink.received.map((m) => m.to[0]).sort();
  assert.deepEqual(to, ["a@example.net", "b@example.net", "c@example.net"], "b once; c only the confirmation");
  const confirmation = sink.received.find((m) => m.to[0] === "c@example.net");
  assert.equal(confirmation?.headers.get("subject"), "Confirm your subscription to New articles from Liner Notes");
  const post = sink.received.find((m) => m.to[0] === "a@example.net");
  assert.equal(post?.headers.get("subject"), "Why liner notes");
  assert.match(post?.headers.get("list-unsubscribe") ?? "", /^<https:\/\/ann\.example\/unsubscribe\/\S+>$/);
  const raw = (post?.raw ?? "").replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  // Links go through the click redirect of the send (post-clicks.test.ts follows them).
  assert.match(raw, /<a href="https:\/\/ann\.example\/e\/[\w.-]+" style="[^"]*">View in your browser<\/a>/);
  assert.match(raw, /<a style="[^"]*" href="https:\/\/ann\.example\/e\/[\w.-]+">the about page<\/a>/);
  // The recipient has a name value (empty here): had "{{name}}" been read as a placeholder, it would read "and .".
  const [textPart, htmlPart] = raw.split(/Content-Type: text\/html/);
  assert.match(
    htmlPart,
    /<\/a> and \{\{name\}\}\.<\/p>/,
    "a post's own {{name}} is not a placeholder (HTML): sent as written",
  );
  assert.match(textPart, /\) and \{\{name\}\}\./, "nor in the text part");
  assert.match(raw, /Content-Type: text\/plain/);
  assert.match(await ok(["mail", "status", "1"]), /#1 post “Why liner notes”: done, 2\/2 sent/);

  const missing = await runCli(["mail", "send-post", "why-liner-notes", "--list", "nope"], { env: e.env });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /There is no list “nope”/);
  const dup = await runCli(["lists", "add", "articles", "--name", "Again"], { env: e.env });
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /There is already a list “articles”/);
  const long = await runCli(["lists", "add", "long", "--name", "X".repeat(5000)], { env: e.env });
  assert.equal(long.code, 1);
  assert.equal(long.stderr.trim(), "liner: The name is 5000 characters long; at most 120.");
  const wordy = await runCli(["lists", "add", "wordy", "--name", "W", "--promise", "P".repeat(1001)], { env: e.env });
  assert.equal(wordy.code, 1);
  assert.match(wordy.stderr, /The promise is 1001 characters long; at most 1000\./);
  const bad = await runCli(["subscribers", "add", "nope", "--list", "articles"], { env: e.env });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /"nope" is not an email address/);
});

test("subscribers import and export: dry run, refusal with exit 1, --skip-bad, and a round trip", async () => {
  const testdata = new URL("./testdata/", import.meta.url).pathname;
  await ok(["lists", "add", "articles", "--name", "New articles"]);
  await ok(["lists", "add", "copy", "--name", "Copy"]);
  const dry = await ok([
    "subscribers",
    "import",
    path.join(testdata, "mailchimp-subscribed.csv"),
    "--list",
    "articles",
    "--dry-run",
  ]);
  assert.match(dry, /3 rows \(mailchimp\) for list articles/);
  assert.match(dry, /3 would be added/);
  assert.match(dry, /Dry run: nothing was changed/);
  assert.equal(
    (await ok(["subscribers", "export", "--list", "articles"])).trim(),
    "email,name,status,source,requested_at,confirmed_at",
  );

  const refused = await runCli(["subscribers", "import", path.join(testdata, "bad-rows.csv"), "--list", "articles"], {
    env: e.env,
  });
  assert.equal(refused.code, 1);
  assert.match(refused.stdout, /line 3: "not-an-address" is not an email address/);
  assert.match(refused.stdout, /line 4: no email address/);
  assert.match(refused.stdout, /line 6: good\.one@example\.com is already on line 2/);
  assert.match(refused.stderr, /refused because of bad rows; nothing was imported/);
  assert.equal(
    (await ok(["subscribers", "export", "--list", "articles"])).trim().split("\r\n").length,
    1,
    "nothing imported",
  );

  await ok(["subscribers", "import", path.join(testdata, "bad-rows.csv"), "--list", "articles", "--skip-bad"]);
  assert.match(
    await ok(["subscribers", "import", path.join(testdata, "ghost-members.csv"), "--list", "articles"]),
    /Imported: 2 subscriptions confirmed/,
  );
  const exported = await ok(["subscribers", "export", "--list", "articles"]);
  const lines = exported.trim().split("\r\n");
  assert.equal(lines.length, 5);
  assert.match(
    exported,
    /^fox@example\.com,"Mulder, Fox",confirmed,imported from ghost-members\.csv on \d{4}-\d{2}-\d{2},2025-02-03T12:30:00\.000Z,2025-02-03T12:30:00\.000Z$/m,
  );
  const file = path.join(e.dataDir, "export.csv");
  fs.writeFileSync(file, exported);
  assert.match(await ok(["subscribers", "import", file, "--list", "copy"]), /Imported: 4 subscriptions confirmed/);
  const copy = (await ok(["subscribers", "export", "--list", "copy"])).trim().split("\r\n");
  assert.deepEqual(
    copy.slice(1).map((l) => l.split(",")[0]),
    lines.slice(1).map((l) => l.split(",")[0]),
    "the same addresses on the other list",
  );
  assert.match(copy[1], /imported from export\.csv on/);
  const missing = await runCli(["subscribers", "export", "--list", "nope"], { env: e.env });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /There is no list “nope”/);
  const noFile = await runCli(["subscribers", "import", "/nonexistent.csv", "--list", "articles"], { env: e.env });
  assert.equal(noFile.code, 1);
  assert.match(noFile.stderr, /^liner: \/nonexistent\.csv: no such file or folder\n$/);
});

test("lists list shows each list with its counts; a wrong --list names the lists there are", async () => {
  assert.match(await ok(["lists", "list"]), /^No lists yet/);
  const none = await runCli(["subscribers", "add", "a@example.net", "--list", "nope"], { env: e.env });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /There is no list “nope”; there are no lists yet/);
  await ok(["lists", "add", "articles", "--name", "New articles"]);
  await ok(["lists", "add", "team", "--name", "Team", "--private"]);
  await ok(["subscribers", "add", "a@example.net", "--list", "articles", "--confirmed"]);
  await ok(["subscribers", "add", "b@example.net", "--list", "articles"]);
  assert.equal(
    await ok(["lists", "list"]),
    "articles\tNew articles\tpublic\t1 confirmed, 1 pending, 0 unsubscribed\n" +
      "team\tTeam\tprivate\t0 confirmed, 0 pending, 0 unsubscribed\n",
  );
  for (const args of [
    ["subscribers", "add", "c@example.net", "--list", "artcles"],
    ["subscribers", "export", "--list", "artcles"],
  ]) {
    const r = await runCli(args, { env: e.env });
    assert.equal(r.code, 1, args.join(" "));
    assert.equal(r.stderr.trim().split("\n").length, 1, `one line: ${r.stderr}`);
    assert.match(r.stderr, /There is no list “artcles”; lists: articles, team\./, args.join(" "));
  }
  const file = path.join(e.dataDir, "s.csv");
  fs.writeFileSync(file, "email\nz@example.net\n");
  const imp = await runCli(["subscribers", "import", file, "--list", "artcles"], { env: e.env });
  assert.equal(imp.code, 1);
  assert.match(imp.stderr, /There is no list “artcles”; lists: articles, team\./);
});
