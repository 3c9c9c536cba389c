/**
 * CSV for spreadsheets and lettering software: RFC 4180 quoting, CRLF line ends, and a UTF-8 byte order mark
 * so Excel reads "Søren" as UTF-8 rather than as the system's code page.
 */

const BOM = '\uFEFF';

// A cell whose first character other than whitespace is one of these is a formula to Excel, LibreOffice or
// Google Sheets (" =HYPERLINK(…)": spreadsheets skip the spaces), and so are the full-width forms an East Asian
// keyboard types (＝ ＋ － ＠), which they read as the ASCII signs. A leading tab or CR is refused whatever
// follows. Prefixed with an apostrophe the cell is shown as text (OWASP, "CSV Injection").
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

export function csvCell(value: string | number): string {
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV file: the header row, then one row per record. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return BOM + [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
