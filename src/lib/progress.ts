/**
 * A one-line terminal progress bar (count, percent, rate, ETA) for long CLI tasks.
 * It draws only on a TTY, at most ten times a second, and erases itself when done,
 * so piped output and logs stay clean.
 */

export interface ProgressState {
  done: number;
  total: number;
  elapsedMs: number;
}

/** Seconds as "42s", "3m05s" or "1h02m". Pure. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** The bar's text for a state, fitted to `width` columns. Pure. */
export function formatProgress(label: string, { done, total, elapsedMs }: ProgressState, width = 80): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const eta = rate > 0 ? formatDuration((total - done) / rate) : "--";
  const count = `${done}/${total}`;
  const tail = ` ${count} ${percent} ${Math.round(rate)}/s ETA ${eta}`;
  // " [" + "]" around the bar, and the last column left free so the terminal does not wrap.
  const room = width - label.length - tail.length - 4;
  const barWidth = room >= 10 ? Math.min(30, room) : 0;
  const filled = Math.round(barWidth * fraction);
  const bar = barWidth > 0 ? ` [${"#".repeat(filled)}${"-".repeat(barWidth - filled)}]` : "";
  return `${label}${bar}${tail}`.slice(0, Math.max(0, width - 1));
}

/** Where the bar is drawn: stderr in the CLI, a fake stream in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): unknown;
}

export interface Progress {
  /** Set the number of items done (it only moves forward). */
  update(done: number): void;
  /** Erase the bar. */
  finish(): void;
}

/** Create a progress bar for `total` items; it draws nothing when the stream is not a TTY. */
export function createProgress(
  label: string,
  total: number,
  stream: ProgressStream = process.stderr,
  clock: () => number = () => performance.now(),
): Progress {
  const start = clock();
  let last = -Infinity;
  let done = 0;
  let drawn = false;
  const draw = () => {
    // A terminal that reports no size (0 columns, e.g. a pty with no window) gets 80.
    const line = formatProgress(label, { done, total, elapsedMs: clock() - start }, stream.columns || 80);
    stream.write(`\r${line}\x1b[K`);
    drawn = true;
  };
  return {
    update(n: number) {
      done = Math.max(done, Math.min(n, total));
      if (!stream.isTTY) return;
      const t = clock();
      if (t - last < 100 && done < total) return;
      last = t;
      draw();
    },
    finish() {
      if (stream.isTTY && drawn) stream.write("\r\x1b[K");
    },
  };
}
