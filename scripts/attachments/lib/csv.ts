export type CsvCell = string | number | null | undefined;

export interface CsvOptions {
  /** A UTF-8 byte order mark, so that Excel reads accents correctly (default true). */
  bom?: boolean;
  /** Decimal separator for numbers (default "," when sep is ";", else "."). */
  decimal?: ',' | '.';
}

/** RFC 4180 CSV with CRLF line ends; ";" by default, as French spreadsheets expect. */
export function csv(rows: readonly (readonly CsvCell[])[], sep = ';', options: CsvOptions = {}): Uint8Array {
  const decimal = options.decimal ?? (sep === ';' ? ',' : '.');
  const cell = (value: CsvCell): string => {
    if (value === null || value === undefined) return '';
    const raw = typeof value === 'number' ? String(value).replace('.', decimal) : value;
    return /["\r\n]/.test(raw) || raw.includes(sep) ? `"${raw.replace(/"/g, '""')}"` : raw;
  };
  const body = rows.map((row) => row.map(cell).join(sep)).join('\r\n') + '\r\n';
  return new TextEncoder().encode(((options.bom ?? true) ? '\uFEFF' : '') + body);
}
