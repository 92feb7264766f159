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
export function parseAmount(text: string): { cents: number; currency?: string } | { error: string } {
  const compact = text.replace(/\s/g, "");
  const sign = /^[€$£]|[€$£]$/.exec(compact)?.[0];
  const s = compact.replace(/^[€$£]|[€$£]$/g, "");
  if (!/^(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d{1,2})?$/.test(s))
    return { error: `“${text}” is not an amount: write it like 12000, 12,000 or 12,000.50.` };
  const n = Number(s.replaceAll(",", ""));
  if (n > 1e12) return { error: "That amount is more than this can keep (up to 1,000,000,000,000)." };
  return sign ? { cents: Math.round(n * 100), currency: SIGNS[sign] } : { cents: Math.round(n * 100) };
}

const SIGNS: Record<string, string> = { "€": "EUR", $: "USD", "£": "GBP" };

/** "12,000", "12,000.50": cents as an amount, with cents only when there are some. Pure. */
export function sayAmount(cents: number, currency?: string | null): string {
  const n = (cents / 100).toLocaleString("en", {
    minimumFractionDigits: cents % 100 ? 2 : 0,
    maximumFractionDigits: 2,
  });
  return currency ? `${n} ${currency}` : n;
}

/** ISO 4217 codes the platform knows (Intl): a typo such as "XYZ" is refused. */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf("currency").includes(code);
}
