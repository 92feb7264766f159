/** Placeholder: replaced by the reader work in progress. */
import { CliError } from "../args.ts";
export async function sourcesAdd(_args: string[]): Promise<number> {
  throw new CliError("not implemented yet", 1);
}
export async function sourcesImportOpml(_args: string[]): Promise<number> {
  throw new CliError("not implemented yet", 1);
}
export async function sourcesExportOpml(_args: string[]): Promise<number> {
  throw new CliError("not implemented yet", 1);
}
export async function sourcesPoll(_args: string[]): Promise<number> {
  throw new CliError("not implemented yet", 1);
}
