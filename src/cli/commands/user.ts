/** `liner user add`: create a staff account, the password read from stdin. */
import { ValidationError } from "../../lib/errors.ts";
import { CliError, parseCommand, UsageError } from "../args.ts";
import { withContext } from "../context.ts";
import { printHelp } from "../usage.ts";

const roles = ["owner", "editor", "author"] as const;

/** Read all of stdin and drop the one trailing newline that `echo` or a here-string adds. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("Password (then Enter and Ctrl-D): ");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

export async function userAdd(args: string[]): Promise<number> {
  const cmd = "user add";
  const { values, positionals, help } = parseCommand(
    cmd,
    args,
    { role: { type: "string" }, "password-stdin": { type: "boolean" }, name: { type: "string" } },
    ["EMAIL"],
  );
  if (help) return printHelp(cmd);
  const role = values.role as string | undefined;
  if (!role) throw new UsageError("missing --role (owner, editor or author)", cmd);
  if (!roles.includes(role as (typeof roles)[number])) {
    throw new UsageError(`--role must be owner, editor or author (got ${JSON.stringify(role)})`, cmd);
  }
  if (!values["password-stdin"]) {
    throw new UsageError("pass the password on standard input with --password-stdin (never as an argument)", cmd);
  }
  const password = await readPassword();
  const { createUser } = await import("../../auth/users.ts");
  return withContext(async (ctx) => {
    try {
      const user = await createUser(ctx, {
        email: positionals[0],
        role: role as (typeof roles)[number],
        name: values.name as string | undefined,
        password,
      });
      process.stdout.write(`Created ${user.role} ${user.email} (id ${user.id}).\n`);
      return 0;
    } catch (err) {
      if (err instanceof ValidationError) throw new CliError(err.message);
      throw err;
    }
  });
}
