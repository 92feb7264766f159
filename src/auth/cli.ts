/** `liner user add` (a staff account, the password read from stdin) and `liner user reset-password`. */

import { CliError, parseCommand, readAll, UsageError, withContext } from "../lib/cli.ts";
import { ValidationError } from "../lib/errors.ts";
import type { CliIo } from "../lib/module.ts";

const roles = ["owner", "editor", "author"] as const;

/** Read all of stdin and drop the one trailing newline that `echo` or a here-string adds. */
async function readPassword(io: CliIo): Promise<string> {
  if ((io.stdin as { isTTY?: boolean }).isTTY) io.stderr.write("Password (then Enter and Ctrl-D): ");
  return (await readAll(io.stdin)).replace(/\r?\n$/, "");
}

export async function userAdd(args: string[], io: CliIo): Promise<number> {
  const cmd = "user add";
  const { values, positionals } = parseCommand(
    cmd,
    args,
    { role: { type: "string" }, "password-stdin": { type: "boolean" }, name: { type: "string" } },
    ["EMAIL"],
  );
  const role = values.role as string | undefined;
  if (!role) throw new UsageError("missing --role (owner, editor or author)", cmd);
  if (!roles.includes(role as (typeof roles)[number])) {
    throw new UsageError(`--role must be owner, editor or author (got ${JSON.stringify(role)})`, cmd);
  }
  if (!values["password-stdin"]) {
    throw new UsageError("pass the password on standard input with --password-stdin (never as an argument)", cmd);
  }
  const password = await readPassword(io);
  const { createUser } = await import("./users.ts");
  return withContext(io, async (ctx) => {
    try {
      const user = await createUser(ctx, {
        email: positionals[0],
        role: role as (typeof roles)[number],
        name: values.name as string | undefined,
        password,
      });
      io.stdout.write(`Created ${user.role} ${user.email} (id ${user.id}).\n`);
      return 0;
    } catch (err) {
      if (err instanceof ValidationError) throw new CliError(err.message);
      throw err;
    }
  });
}

/** `liner user reset-password EMAIL`: print a one-time link that sets a new password (voiding earlier ones). */
export async function userResetPassword(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommand("user reset-password", args, {}, ["EMAIL"]);
  const { findUserByEmail } = await import("./users.ts");
  const { createResetLink, RESET_HOURS } = await import("./reset.ts");
  const { publicBaseUrl } = await import("../lib/settings/base-url.ts");
  return withContext(io, async (ctx) => {
    const user = await findUserByEmail(ctx, positionals[0]);
    if (!user) throw new CliError(`no account has the email ${positionals[0].trim().toLowerCase()}`);
    const path = await createResetLink(ctx, user.id);
    io.stdout.write(
      `Password reset link for ${user.email} (valid for ${RESET_HOURS} hour${RESET_HOURS === 1 ? "" : "s"}, one use; earlier links no longer work):\n`,
    );
    const base = await publicBaseUrl(ctx);
    io.stdout.write(`  ${base.url}${path}\n`);
    if (base.note) io.stdout.write(`  ${base.note}\n`);
    return 0;
  });
}
