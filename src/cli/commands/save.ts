/** Placeholder: replaced by the reader work in progress. */
import { CliError } from "../args.ts";
export async function save(_args: string[]): Promise<number> {
  throw new CliError("not implemented yet", 1);
}
