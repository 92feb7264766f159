/** A line diff (longest common subsequence), for comparing a revision with the current text. Pure. */

export interface DiffLine {
  op: "same" | "add" | "del";
  text: string;
}

/** Diff two texts by line; returns null when they are too large to diff cheaply. */
export function lineDiff(before: string, after: string, maxCells = 4_000_000): DiffLine[] | null {
  const a = before.split("\n");
  const b = after.split("\n");
  // Trim the common head and tail first: edits are usually local.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  if ((x.length + 1) * (y.length + 1) > maxCells) return null;
  const w = y.length + 1;
  const lcs = new Uint32Array((x.length + 1) * w);
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i * w + j] =
        x[i] === y[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    }
  }
  const out: DiffLine[] = a.slice(0, start).map((text) => ({ op: "same", text }));
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      out.push({ op: "same", text: x[i++] });
      j++;
    } else if (j < y.length && (i >= x.length || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j])) {
      out.push({ op: "add", text: y[j++] });
    } else {
      out.push({ op: "del", text: x[i++] });
    }
  }
  for (const text of a.slice(endA)) out.push({ op: "same", text });
  return out;
}
