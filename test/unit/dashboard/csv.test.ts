import { BOM, csvCell, toCsv } from '../../../src/dashboard/csv';

describe('CSV export for spreadsheets', () => {
  it('starts with a UTF-8 BOM and ends lines with CRLF', () => {
    const csv = toCsv(['Nom', 'Note'], [['Léa', 12]]);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.slice(1)).toBe('"Nom","Note"\r\n"Léa","12"\r\n');
  });

  it('uses the semicolon when asked (French Excel)', () => {
    expect(toCsv(['a', 'b'], [['1', '2']], ';').slice(1)).toBe('"a";"b"\r\n"1";"2"\r\n');
  });

  it('quotes every field and doubles inner quotes, keeping separators and newlines inside', () => {
    expect(csvCell('Dupont, "Jo"\nbis')).toBe('"Dupont, ""Jo""\nbis"');
  });

  it.each(['=1+1', '+33 6', '-2', '@SUM(A1)', '\tx', '\rx'])('neutralises a formula-looking text %j', (v) => {
    expect(csvCell(v)).toBe(`"'${v}"`);
  });

  it('leaves numbers (even negative) and empty cells as they are', () => {
    expect(csvCell(-3)).toBe('"-3"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell('Léa')).toBe('"Léa"');
  });
});
