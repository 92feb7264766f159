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
