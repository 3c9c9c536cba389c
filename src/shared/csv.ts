/**
 * CSV for spreadsheets and lettering software: RFC 4180 quoting, CRLF line ends, and a UTF-8 byte order mark
 * so Excel reads "Søren" as UTF-8 rather than as the system's code page.
 */

const BOM = '\uFEFF';

// A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets ("=HYPERLINK(…)"):
// prefixed with an apostrophe it is shown as text (OWASP, "CSV Injection").
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number): string {
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV file: the header row, then one row per record. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return BOM + [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
