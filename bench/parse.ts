/** Placeholder: replaced by the reader work in progress. */
export async function benchParse(_opts: { record: boolean; runs: number }): Promise<void> {
  throw new Error("not implemented yet");
}
