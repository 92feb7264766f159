/** `liner accounts add|list|check|remove` and `liner syndicate`. */
import { CliError, lineWriter, parseCommand, readAll, UsageError, withContext } from "../lib/cli.ts";
import type { AppContext } from "../lib/context.ts";
import type { CliIo } from "../lib/module.ts";
import {
  accountById,
  addBluesky,
  addLinkedIn,
  addMastodon,
  checkAccount,
  PLATFORMS,
  type Platform,
} from "./accounts.ts";
import { type AccountRow, accountStore } from "./store.ts";
import { publishedPost, syndicate } from "./syndicate.ts";

const idOf = (raw: string | undefined, command: string): number => {
  if (!raw || !/^\d{1,9}$/.test(raw))
    throw new UsageError(`ID must be an account's number (got “${raw ?? ""}”)`, command);
  return Number(raw);
};

async function secretFromStdin(io: CliIo, what: string): Promise<string> {
  if ((io.stdin as { isTTY?: boolean }).isTTY) io.stderr.write(`${what} (then Enter and Ctrl-D): `);
  const s = (await readAll(io.stdin)).replace(/\r?\n$/, "");
  if (!s.trim()) throw new CliError(`no ${what} on stdin`);
  return s;
}

/** `liner accounts add PLATFORM …`. */
export async function accountsAdd(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(
    "accounts add",
    args,
    {
      handle: { type: "string" },
      pds: { type: "string" },
      instance: { type: "string" },
      "app-password-stdin": { type: "boolean" },
      "token-stdin": { type: "boolean" },
    },
    ["PLATFORM"],
  );
  const platform = positionals[0];
  if (!(PLATFORMS as readonly string[]).includes(platform))
    throw new UsageError(`PLATFORM must be one of ${PLATFORMS.join(", ")} (got “${platform}”)`, "accounts add");
  let connect: (ctx: AppContext) => Promise<AccountRow>;
  if (platform === "linkedin") {
    if (values["token-stdin"] !== true) throw new UsageError("missing --token-stdin", "accounts add");
    const token = await secretFromStdin(io, "access token");
    connect = (ctx) => addLinkedIn(ctx, { token });
  } else if (platform === "mastodon") {
    if (typeof values.instance !== "string") throw new UsageError("missing --instance", "accounts add");
    if (values["token-stdin"] !== true) throw new UsageError("missing --token-stdin", "accounts add");
    const token = await secretFromStdin(io, "access token");
    connect = (ctx) => addMastodon(ctx, { instance: values.instance as string, token });
  } else {
    if (typeof values.handle !== "string") throw new UsageError("missing --handle", "accounts add");
    if (values["app-password-stdin"] !== true) throw new UsageError("missing --app-password-stdin", "accounts add");
    const password = await secretFromStdin(io, "app password");
    connect = (ctx) =>
      addBluesky(ctx, { handle: values.handle as string, pds: values.pds as string | undefined, password });
  }
  return withContext(
    io,
    async (ctx) => {
      const a = await connect(ctx);
      lineWriter(io.stdout)(
        `Connected ${a.platform} account ${a.id}: ${a.handle} on ${a.service_url} (${a.platform === "bluesky" ? "app password" : "token"} ${a.secret_hint}).`,
      );
      return 0;
    },
    { mustExist: true },
  );
}

/** `liner accounts list [--json]`. */
export async function accountsList(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand("accounts list", args, { json: { type: "boolean" } });
  return withContext(
    io,
    async (ctx) => {
      const say = lineWriter(io.stdout);
      const rows = (await accountStore(ctx.db).list()).map((a) => ({
        id: a.id,
        platform: a.platform,
        handle: a.handle,
        service: a.service_url,
        credential: a.secret_hint,
        status: a.status,
        last_error: a.last_error,
        checked_at: a.checked_at,
      }));
      if (values.json) for (const r of rows) say(JSON.stringify(r));
      else if (!rows.length) say("No accounts are connected (liner accounts add bluesky …).");
      else
        for (const r of rows)
          say(
            `${r.id}  ${r.platform}  ${r.handle}  ${r.service}  ${r.credential}  ${r.status}${r.last_error ? `: ${r.last_error}` : ""}`,
          );
      return 0;
    },
    { mustExist: true },
  );
}

/** `liner accounts check [ID]`. */
export async function accountsCheck(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommand("accounts check", args, {}, [], ["ID"]);
  return withContext(
    io,
    async (ctx) => {
      const say = lineWriter(io.stdout);
      const accounts = positionals[0]
        ? [await accountById(ctx, idOf(positionals[0], "accounts check"))]
        : await accountStore(ctx.db).list();
      if (!accounts.length) say("No accounts are connected.");
      let failed = 0;
      for (const a of accounts) {
        const r = await checkAccount(ctx, a);
        if (!r.ok) failed++;
        say(`${a.id}  ${a.platform}  ${a.handle}: ${r.ok ? "ok" : r.message}`);
      }
      return failed ? 1 : 0;
    },
    { mustExist: true },
  );
}

/** `liner accounts remove ID`. */
export async function accountsRemove(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommand("accounts remove", args, {}, ["ID"]);
  const id = idOf(positionals[0], "accounts remove");
  return withContext(
    io,
    async (ctx) => {
      const a = await accountById(ctx, id);
      await accountStore(ctx.db).remove(a.id);
      lineWriter(io.stdout)(`Removed ${a.platform} account ${a.id} (${a.handle}) and its stored credential.`);
      return 0;
    },
    { mustExist: true },
  );
}

/** `liner syndicate SLUG --to … [--dry-run]`. */
export async function syndicateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(
    "syndicate",
    args,
    { to: { type: "string" }, "dry-run": { type: "boolean" } },
    ["SLUG"],
  );
  if (typeof values.to !== "string" || !values.to.trim()) throw new UsageError("missing --to", "syndicate");
  const targets = [
    ...new Set(
      values.to
        .split(",")
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  const bad = targets.find((t) => !(PLATFORMS as readonly string[]).includes(t));
  if (bad) throw new UsageError(`--to takes ${PLATFORMS.join(", ")} (got “${bad}”)`, "syndicate");
  return withContext(
    io,
    async (ctx) => {
      const say = lineWriter(io.stdout);
      await publishedPost(ctx, positionals[0]);
      // Copies link to the site's address: unset, it would be this machine's (http://127.0.0.1:4321).
      if (!values["dry-run"] && !io.env.LINER_BASE_URL && !io.config?.baseUrl)
        throw new CliError(
          `set LINER_BASE_URL to the site's public address first: the copies link to it (now ${ctx.config.baseUrl})`,
        );
      const out = await syndicate(ctx, positionals[0], targets as Platform[], { dryRun: values["dry-run"] === true });
      let failed = 0;
      for (const o of out) {
        if (o.error) {
          failed++;
          say(`${o.platform}: failed: ${o.error}`);
        } else if (values["dry-run"])
          say(`${o.platform} (${o.account})${o.already ? ", sent before" : ""}:\n${o.text}\n`);
        else say(`${o.platform}: ${o.url}${o.already ? " (sent before)" : ""}`);
      }
      return failed ? 1 : 0;
    },
    { mustExist: true },
  );
}
