import { ODF_NAMESPACES, odfPackage, ooxmlPackage, type OfficeMeta } from './office';
import { escapeXml, XML_DECLARATION } from './xml';

export type SheetCell = string | number | null;

export interface Sheet {
  /** Tab name: at most 31 characters, none of []:*?/\ (Excel's rule). */
  name: string;
  rows: readonly (readonly SheetCell[])[];
  /** Show the first row in bold (a header). */
  header?: boolean;
  /** Column widths in characters, first column first. */
  columnWidths?: readonly number[];
}

function checkSheets(sheets: readonly Sheet[]): void {
  if (sheets.length === 0) throw new Error('a spreadsheet needs at least one sheet');
  const names = new Set<string>();
  for (const sheet of sheets) {
    if (!sheet.name || sheet.name.length > 31 || /[[\]:*?/\\]/.test(sheet.name)) {
      throw new Error(`invalid sheet name "${sheet.name}"`);
    }
    if (names.has(sheet.name.toLowerCase())) throw new Error(`duplicate sheet name "${sheet.name}"`);
    names.add(sheet.name.toLowerCase());
    for (const row of sheet.rows) {
      for (const cell of row) {
        if (typeof cell === 'number' && !Number.isFinite(cell))
          throw new Error('cells must be finite numbers');
      }
    }
  }
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}

// ---------- xlsx (Office Open XML) ----------

function xlsxSheet(sheet: Sheet): string {
  const cols = sheet.columnWidths?.length
    ? '<cols>' +
      sheet.columnWidths
        .map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`)
        .join('') +
      '</cols>'
    : '';
  const rows = sheet.rows
    .map((row, r) => {
      const style = sheet.header && r === 0 ? ' s="1"' : '';
      const cells = row
        .map((cell, c) => {
          const ref = `${columnName(c)}${r + 1}`;
          if (cell === null || cell === '') return '';
          if (typeof cell === 'number') return `<c r="${ref}"${style}><v>${cell}</v></c>`;
          return `<c r="${ref}"${style} t="inlineStr"><is><t xml:space="preserve">${escapeXml(cell)}</t></is></c>`;
        })
        .join('');
      return `<row r="${r + 1}">${cells}</row>`;
    })
    .join('');
  return (
    XML_DECLARATION +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    `${cols}<sheetData>${rows}</sheetData></worksheet>`
  );
}

const XLSX_STYLES =
  XML_DECLARATION +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

/** An .xlsx workbook (inline strings, numbers as numbers), openable by Excel and LibreOffice. */
export function xlsx(sheets: readonly Sheet[], meta: OfficeMeta = {}): Uint8Array {
  checkSheets(sheets);
  const ns = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
  const workbook =
    XML_DECLARATION +
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
    sheets
      .map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
      .join('') +
    '</sheets></workbook>';
  return ooxmlPackage(
    { path: 'xl/workbook.xml', contentType: `${ns}.sheet.main+xml`, data: workbook },
    [
      ...sheets.map((_, i) => ({
        id: `rId${i + 1}`,
        type: 'worksheet',
        target: `worksheets/sheet${i + 1}.xml`,
      })),
      { id: `rId${sheets.length + 1}`, type: 'styles', target: 'styles.xml' },
    ],
    [
      { path: 'xl/styles.xml', contentType: `${ns}.styles+xml`, data: XLSX_STYLES },
      ...sheets.map((s, i) => ({
        path: `xl/worksheets/sheet${i + 1}.xml`,
        contentType: `${ns}.worksheet+xml`,
        data: xlsxSheet(s),
      })),
    ],
    meta,
  );
}

// ---------- ods (OpenDocument) ----------

function odsCell(cell: SheetCell, bold: boolean): string {
  const style = bold ? ' table:style-name="ceHeader"' : '';
  if (cell === null || cell === '') return '<table:table-cell/>';
  if (typeof cell === 'number') {
    return `<table:table-cell${style} office:value-type="float" office:value="${cell}"><text:p>${cell}</text:p></table:table-cell>`;
  }
  return `<table:table-cell${style} office:value-type="string"><text:p>${escapeXml(cell)}</text:p></table:table-cell>`;
}

/** An .ods workbook, openable by LibreOffice and Excel. */
export function ods(sheets: readonly Sheet[], meta: OfficeMeta = {}): Uint8Array {
  checkSheets(sheets);
  const widthStyles = sheets.flatMap((s, si) =>
    (s.columnWidths ?? []).map(
      (w, ci) =>
        `<style:style style:name="co${si}_${ci}" style:family="table-column"><style:table-column-properties style:column-width="${(w * 0.19).toFixed(2)}cm"/></style:style>`,
    ),
  );
  const tables = sheets
    .map((sheet, si) => {
      const columns = (sheet.columnWidths ?? [])
        .map((_, ci) => `<table:table-column table:style-name="co${si}_${ci}"/>`)
        .join('');
      const rows = sheet.rows
        .map(
          (row, r) =>
            `<table:table-row>${row.map((c) => odsCell(c, !!sheet.header && r === 0)).join('')}</table:table-row>`,
        )
        .join('');
      return `<table:table table:name="${escapeXml(sheet.name)}">${columns}${rows}</table:table>`;
    })
    .join('');
  const content =
    XML_DECLARATION +
    `<office:document-content ${ODF_NAMESPACES}><office:automatic-styles>` +
    '<style:style style:name="ceHeader" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style>' +
    widthStyles.join('') +
    `</office:automatic-styles><office:body><office:spreadsheet>${tables}</office:spreadsheet></office:body></office:document-content>`;
  return odfPackage('application/vnd.oasis.opendocument.spreadsheet', { 'content.xml': content }, meta);
}
