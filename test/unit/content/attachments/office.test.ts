import { strFromU8, unzipSync } from 'fflate';
import {
  csv,
  docx,
  ods,
  odt,
  xlsx,
  zip,
  type Paragraph,
  type Sheet,
} from '../../../../scripts/attachments/lib';

const unzipText = (bytes: Uint8Array): Record<string, string> =>
  Object.fromEntries(Object.entries(unzipSync(bytes)).map(([path, data]) => [path, strFromU8(data)]));

/** DOS date/time of the first local header: bytes 10-13. */
const firstEntryDosDateTime = (bytes: Uint8Array) => Buffer.from(bytes).readUInt32LE(10);

describe('zip', () => {
  it('keeps entries in order, stores the ones asked, and dates them 1980-01-01', () => {
    const bytes = zip([
      { path: 'mimetype', data: 'text/plain', store: true },
      { path: 'a/b.txt', data: 'é'.repeat(100) },
    ]);
    const files = unzipText(bytes);
    expect(Object.keys(files)).toEqual(['mimetype', 'a/b.txt']);
    expect(files['a/b.txt']).toBe('é'.repeat(100));
    // A stored first entry puts its bytes right after the 30-byte header and its name.
    expect(strFromU8(bytes.subarray(38, 48))).toBe('text/plain');
    // 1980-01-01 00:00 is DOS date (0 << 9 | 1 << 5 | 1) and time 0.
    expect(firstEntryDosDateTime(bytes)).toBe(((0 << 9) | (1 << 5) | 1) << 16);
  });

  it('refuses duplicate paths', () => {
    expect(() =>
      zip([
        { path: 'x', data: '1' },
        { path: 'x', data: '2' },
      ]),
    ).toThrow(/duplicate/);
  });
});

const sheets: Sheet[] = [
  {
    name: 'Notes',
    header: true,
    columnWidths: [12, 8],
    rows: [
      ['Élève', 'Note'],
      ['Inès & Léo', 14.5],
      ['<Sam>', 9],
    ],
  },
  { name: 'Vide', rows: [[null, 'x']] },
];

describe('xlsx', () => {
  const bytes = xlsx(sheets, { title: 'Notes du trimestre', author: 'Mme Diallo' });
  const files = unzipText(bytes);

  it('has the parts Excel requires, one worksheet per sheet', () => {
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        '[Content_Types].xml',
        '_rels/.rels',
        'xl/workbook.xml',
        'xl/_rels/workbook.xml.rels',
        'xl/styles.xml',
        'xl/worksheets/sheet1.xml',
        'xl/worksheets/sheet2.xml',
      ]),
    );
    expect(files['xl/workbook.xml']).toContain('<sheet name="Notes" sheetId="1" r:id="rId1"/>');
    expect(files['[Content_Types].xml']).toContain('/xl/worksheets/sheet2.xml');
  });

  it('writes numbers as numbers and escapes strings', () => {
    const sheet = files['xl/worksheets/sheet1.xml']!;
    expect(sheet).toContain('<c r="B2"><v>14.5</v></c>');
    expect(sheet).toContain('<t xml:space="preserve">Inès &amp; Léo</t>');
    expect(sheet).toContain('&lt;Sam&gt;');
    expect(sheet).toMatch(/<c r="A1" s="1" t="inlineStr">/);
    expect(files['xl/worksheets/sheet2.xml']).toContain('<c r="B1" t="inlineStr">');
  });

  it('records title and author', () => {
    expect(files['docProps/core.xml']).toContain('<dc:title>Notes du trimestre</dc:title>');
    expect(files['docProps/core.xml']).toContain('<dc:creator>Mme Diallo</dc:creator>');
  });

  it('is reproducible', () => {
    expect(Buffer.from(xlsx(sheets, { title: 'Notes du trimestre', author: 'Mme Diallo' }))).toEqual(
      Buffer.from(bytes),
    );
  });

  it('refuses invalid sheet names and non-finite numbers', () => {
    expect(() => xlsx([{ name: 'a/b', rows: [] }])).toThrow(/sheet name/);
    expect(() => xlsx([{ name: 'a', rows: [[NaN]] }])).toThrow(/finite/);
  });
});

describe('ods', () => {
  const bytes = ods(sheets, { title: 'Notes' });
  const files = unzipText(bytes);

  it('starts with a stored mimetype and lists its parts in the manifest', () => {
    expect(Object.keys(files)[0]).toBe('mimetype');
    expect(strFromU8(bytes.subarray(38, 38 + 46))).toBe('application/vnd.oasis.opendocument.spreadsheet');
    expect(files['META-INF/manifest.xml']).toContain('manifest:full-path="content.xml"');
    expect(files['META-INF/manifest.xml']).toContain('manifest:full-path="meta.xml"');
  });

  it('writes typed cells', () => {
    const content = files['content.xml']!;
    expect(content).toContain('<table:table table:name="Notes">');
    expect(content).toContain('office:value-type="float" office:value="14.5"');
    expect(content).toContain('<text:p>Inès &amp; Léo</text:p>');
    expect(files['meta.xml']).toContain('<dc:title>Notes</dc:title>');
  });

  it('is reproducible', () => {
    expect(Buffer.from(ods(sheets, { title: 'Notes' }))).toEqual(Buffer.from(bytes));
  });
});

const paragraphs: Paragraph[] = [
  { style: 'Title', runs: ['Compte rendu'] },
  { style: 'Heading1', runs: ['Décisions'] },
  {
    runs: [
      'La sortie aura lieu le ',
      {
        text: 'mardi',
        change: { type: 'deletion', author: 'Karim B.', date: new Date('2024-03-04T10:15:00Z') },
      },
      {
        text: 'jeudi',
        change: { type: 'insertion', author: 'Lucie M.', date: new Date('2024-03-05T08:00:00Z') },
      },
      { text: ' matin', bold: true },
      '.',
    ],
  },
];

describe('docx', () => {
  const meta = { title: 'Compte rendu', author: 'Lucie M.', created: new Date('2024-03-01T09:00:00Z') };
  const files = unzipText(docx(paragraphs, meta));
  const document = files['word/document.xml']!;

  it('applies paragraph styles that styles.xml defines', () => {
    expect(document).toContain('<w:pStyle w:val="Title"/>');
    expect(document).toContain('<w:pStyle w:val="Heading1"/>');
    expect(files['word/styles.xml']).toContain('w:styleId="Heading1"');
    expect(files['word/_rels/document.xml.rels']).toContain('Target="styles.xml"');
  });

  it('records tracked insertions and deletions with author and date', () => {
    expect(document).toMatch(
      /<w:del w:id="\d+" w:author="Karim B\." w:date="2024-03-04T10:15:00Z"><w:r><w:delText xml:space="preserve">mardi<\/w:delText><\/w:r><\/w:del>/,
    );
    expect(document).toMatch(
      /<w:ins w:id="\d+" w:author="Lucie M\." w:date="2024-03-05T08:00:00Z"><w:r><w:t xml:space="preserve">jeudi<\/w:t><\/w:r><\/w:ins>/,
    );
    expect(document).toContain('<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve"> matin</w:t></w:r>');
  });

  it('records metadata and is reproducible', () => {
    expect(files['docProps/core.xml']).toContain(
      '<dcterms:created xsi:type="dcterms:W3CDTF">2024-03-01T09:00:00Z',
    );
    expect(Buffer.from(docx(paragraphs, meta))).toEqual(Buffer.from(docx(paragraphs, meta)));
  });
});

describe('odt', () => {
  const bytes = odt(paragraphs, { title: 'Compte rendu', author: 'Lucie M.' });
  const files = unzipText(bytes);
  const content = files['content.xml']!;

  it('writes headings with outline levels and styles.xml defines them', () => {
    expect(content).toContain(
      '<text:h text:style-name="Heading_20_1" text:outline-level="1">Décisions</text:h>',
    );
    expect(content).toContain('<text:p text:style-name="Title">Compte rendu</text:p>');
    expect(files['styles.xml']).toContain('style:name="Heading_20_1"');
  });

  it('records tracked changes: deleted text in the change region, inserted text marked in the body', () => {
    expect(content).toMatch(
      /<text:changed-region text:id="ct1"><text:deletion><office:change-info><dc:creator>Karim B\.<\/dc:creator><dc:date>2024-03-04T10:15:00Z<\/dc:date><\/office:change-info><text:p>mardi<\/text:p>/,
    );
    expect(content).toContain('<text:change text:change-id="ct1"/>');
    expect(content).toContain(
      '<text:change-start text:change-id="ct2"/>jeudi<text:change-end text:change-id="ct2"/>',
    );
    expect(content).not.toMatch(/le mardi/);
  });

  it('is reproducible', () => {
    expect(Buffer.from(odt(paragraphs, { title: 'Compte rendu', author: 'Lucie M.' }))).toEqual(
      Buffer.from(bytes),
    );
  });
});

describe('csv', () => {
  it('quotes what needs quoting, uses CRLF, French decimals with ";" and a BOM', () => {
    const text = Buffer.from(
      csv([
        ['nom', 'note'],
        ['Dupont; Jean', 12.5],
        ['"Zoé"', null],
      ]),
    ).toString('utf8');
    expect(text).toBe('\uFEFFnom;note\r\n"Dupont; Jean";12,5\r\n"""Zoé""";\r\n');
  });

  it('uses "." decimals with ",", and can omit the BOM', () => {
    expect(Buffer.from(csv([['a', 1.5]], ',', { bom: false })).toString('utf8')).toBe('a,1.5\r\n');
  });
});
