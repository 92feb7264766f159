/** Outcomes' kinds in words, one and many (the pages and the weekly email say them alike). */
export const OUTCOME_NAMES: Record<string, [string, string]> = {
  subscription: ["new subscriber", "new subscribers"],
  inquiry: ["inquiry", "inquiries"],
  registration: ["registration", "registrations"],
  comment: ["comment or reply", "comments and replies"],
  follower: ["new follower", "new followers"],
  click: ["digest click", "digest clicks"],
  forward: ["forward", "forwards"],
  manual: ["recorded by hand", "recorded by hand"],
};

/** "3 inquiries", "1 new subscriber"; without `n`, the singular word alone. Pure. */
export function outcomeName(kind: string, n?: number): string {
  const [one, many] = OUTCOME_NAMES[kind] ?? [kind, kind];
  return n === undefined ? one : `${n} ${n === 1 ? one : many}`;
}

/**
 * An amount as a person types it, in cents: "12000", "12,000", "12,000.50", "€12,000", "12000 €".
 * Anything else (a decimal comma, more than two decimals, "1.500") is refused rather than guessed.
 * Pure.
 */
export function parseAmount(text: string): { cents: number } | { error: string } {
  const s = text.replace(/\s/g, "").replace(/^[€$£]|[€$£]$/g, "");
  if (!/^(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d{1,2})?$/.test(s))
    return { error: `“${text}” is not an amount: write it like 12000, 12,000 or 12,000.50.` };
  const n = Number(s.replaceAll(",", ""));
  if (n > 1e12) return { error: "That amount is more than this can keep (up to 1,000,000,000,000)." };
  return { cents: Math.round(n * 100) };
}
