/** CSV the owner opens in a spreadsheet program. */

/**
 * A cell a spreadsheet will not run as a formula: text starting with =, +, -, @, a tab or a
 * carriage return gets a leading quote; null and undefined are empty. Pure.
 */
export function spreadsheetCell(v: unknown): string {
  const s = v === null || v === undefined ? "" : String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
