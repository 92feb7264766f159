/** Slugs: lowercase ASCII words joined by hyphens. Pure. */

/** Make a URL slug from any title ("Ça va? Déjà 2 ans!" → "ca-va-deja-2-ans"). */
export function slugify(input: string, maxLength = 80): string {
  const s = input
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return s.slice(0, maxLength).replace(/-+$/, "");
}

/** True when `s` is already a valid slug. */
export function isSlug(s: string): boolean {
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s) && s.length <= 120;
}
