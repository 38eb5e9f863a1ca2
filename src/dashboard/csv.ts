/**
 * CSV that opens cleanly in Excel and LibreOffice: UTF-8 with a BOM (Excel otherwise guesses a legacy
 * code page), CRLF line ends, every field quoted, and cells that a spreadsheet would run as a formula
 * (starting with = + - @, or a tab / carriage return) neutralised with a leading apostrophe.
 */
export type CsvSeparator = ',' | ';';

export const BOM = '\uFEFF';

export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>,
  separator: CsvSeparator = ',',
): string {
  const line = (cells: ReadonlyArray<string | number | null | undefined>) =>
    cells.map(csvCell).join(separator);
  return BOM + [line(header), ...rows.map(line)].join('\r\n') + '\r\n';
}
