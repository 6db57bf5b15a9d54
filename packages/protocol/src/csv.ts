/**
 * One CSV cell: quoted when it holds a separator. A leading =, +, - or @ is defused, as a
 * spreadsheet would run it as a formula; a plain number (e.g. -10, -0.25) is left as it is.
 */
export function csvCell(v: string | number | null | undefined): string {
  const s = v == null ? '' : String(v);
  const safe = /^[=+\-@]/.test(s) && !/^[+-]?\d+(?:\.\d+)?$/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows as RFC 4180 CSV (CRLF line ends, a trailing line end). */
export const toCsv = (rows: (string | number | null | undefined)[][]): string => rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
