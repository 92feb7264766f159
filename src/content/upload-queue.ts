/**
 * At most two image uploads are decoded and resized at a time in a process; the others wait
 * their turn, first come first served. Decoding holds the whole bitmap in memory (up to 40
 * megapixels, ~160 MB at four bytes a pixel), so six at once took a server past half a gigabyte.
 * A waiting upload's request simply takes longer: the editor's upload shows "Processing…" meanwhile.
 */

/** Uploads processed at once per process. */
export const UPLOAD_CONCURRENCY = 2;

let active = 0;
let peak = 0;
const waiting: (() => void)[] = [];

/** Run `fn` when a slot is free; the slot is released when it settles. */
export async function inUploadQueue<T>(fn: () => Promise<T>): Promise<T> {
  if (active >= UPLOAD_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
  else active++;
  peak = Math.max(peak, active);
  try {
    return await fn();
  } finally {
    // Hand the slot straight to the next in line, so a newcomer cannot overtake it.
    const next = waiting.shift();
    if (next) next();
    else active--;
  }
}

/** The queue's state, for tests: uploads running now, waiting now, and the most that ever ran at once. */
export function uploadQueueStats(): { active: number; waiting: number; peak: number } {
  return { active, waiting: waiting.length, peak };
}

/** Forget the peak (tests measure one burst at a time). */
export function resetUploadQueuePeak(): void {
  peak = active;
}
