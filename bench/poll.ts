/** Placeholder: replaced by the reader work in progress. */
export async function benchPoll(_opts: { record: boolean; feeds: number }): Promise<void> {
  throw new Error("not implemented yet");
}
