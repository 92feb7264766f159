/** STUB (replaced by the sending work): `liner webmention send URL`. */
import type { CliCommand } from "../../lib/module.ts";

export const webmentionSend: CliCommand = async (_args, io) => {
  io.stderr.write("not yet\n");
  return 1;
};
