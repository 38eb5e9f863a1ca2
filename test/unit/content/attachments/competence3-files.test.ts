import fs from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import YAML from 'yaml';
import { readExif } from '../../../../scripts/attachments/lib';
import c31 from '../../../../scripts/attachments/c31-documents-texte';
import c32 from '../../../../scripts/attachments/c32-photo-metadonnees';
import c33 from '../../../../scripts/attachments/c33-documents-pdf';

/**
 * The files behind the 3.1, 3.2 and 3.3 file-manipulation challenges: what a learner would read
 * in them (parsed back independently of the generators) is what `facts` says, and the committed
 * challenge solutions accept those facts.
 */

const ROOT = path.join(__dirname, '../../../..');
const byFile = (gen: typeof c31, file: string) => {
  const found = gen.find((a) => a.file === file);
  if (!found) throw new Error(`no generator for ${file}`);
  return found;
};
const challenge = (competence: string, id: string): Record<string, unknown> => {
  const doc = YAML.parse(
    fs.readFileSync(path.join(ROOT, 'content/competences', `${competence}.yaml`), 'utf8'),
  );
  for (const tube of doc.tubes)
    for (const skill of tube.skills) for (const c of skill.challenges) if (c.id === id) return c;
  throw new Error(`no challenge ${id}`);
};
const loose = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s\p{P}]/gu, '');
const accepts = (accepted: unknown, value: string | number): boolean => {
  if (typeof accepted === 'object' && accepted !== null && 'number' in accepted) {
    return (accepted as { number: number }).number === Number(value);
  }
  const list = Array.isArray(accepted) ? accepted : (accepted as { fr: string[] }).fr;
  return list.some((v: string) => loose(v) === loose(String(value)));
};

describe('3.1 word-processing files', () => {
  it('the .docx tracks the venue change by the stated author, and the accepted text gives the stated venue', () => {
    const gen = byFile(c31, '3.1/lettre-club-modifications.docx');
    const bytes = gen.build() as Uint8Array;
    expect(
      Buffer.compare(Buffer.from(bytes), fs.readFileSync(path.join(ROOT, 'content/attachments', gen.file))),
    ).toBe(0);
    const xml = strFromU8(unzipSync(bytes)['word/document.xml']!);
    const insertion = new RegExp(`<w:ins [^>]*w:author="${gen.facts.auteurLieu}"[^>]*>.*?</w:ins>`);
    expect(xml.match(insertion)?.[0]).toContain(String(gen.facts.lieuFinal));
    const sol = challenge('3.1', 'c31-suivimodifications-4-a').solution as Record<string, unknown>;
    expect(accepts(sol.auteur, String(gen.facts.auteurLieu))).toBe(true);
    expect(accepts(sol.lieu, String(gen.facts.lieuFinal))).toBe(true);
  });

  it('the .odt has exactly the stated number of Heading 2 paragraphs, and the fake heading is plain bold text', () => {
    const gen = byFile(c31, '3.1/rapport-cantine-styles.odt');
    const xml = strFromU8(unzipSync(gen.build() as Uint8Array)['content.xml']!);
    expect(xml.match(/<text:h text:style-name="Heading_20_2"/g)).toHaveLength(gen.facts.titres2 as number);
    const [fake] = gen.facts.fauxTitre as string[];
    expect(xml).toContain(
      `<text:p text:style-name="Standard"><text:span text:style-name="Tb">${fake}</text:span></text:p>`,
    );
    const sol = challenge('3.1', 'c31-stylesstructure-5-a').solution as Record<string, unknown>;
    expect(accepts(sol.nombre, gen.facts.titres2 as number)).toBe(true);
    expect(accepts(sol.fauxtitre, fake!)).toBe(true);
  });
});

describe('3.2 photo metadata', () => {
  it('the Exif model and date taken are the stated ones and the solution accepts them', () => {
    const gen = byFile(c32, '3.2/photo-orage.jpg');
    const exif = readExif(gen.build() as Uint8Array);
    expect(exif?.model).toBe(gen.facts.modele);
    const [d, m, y] = String(gen.facts.datePrise).split('/');
    expect(exif?.dateTimeOriginal?.startsWith(`${y}:${m}:${d}`)).toBe(true);
    const sol = challenge('3.2', 'c32-metadonneesphoto-5-a').solution as Record<string, unknown>;
    expect(accepts(sol.date, String(gen.facts.datePrise))).toBe(true);
    expect(accepts(sol.modele, String(gen.facts.modele))).toBe(true);
  });
});

describe('3.3 PDF files', () => {
  it('the report properties give the stated author, keywords and page count', async () => {
    const gen = byFile(c33, '3.3/bilan-cantine.pdf');
    const pdf = await PDFDocument.load(await gen.build());
    expect(pdf.getAuthor()).toBe(gen.facts.auteur);
    expect(pdf.getPageCount()).toBe(gen.facts.pages);
    expect(pdf.getKeywords()?.split(/\s+/)).toEqual(gen.facts.motsCles);
    const sol = challenge('3.3', 'c33-proprietesdocument-4-a').solution as Record<string, unknown>;
    expect(accepts(sol.auteur, String(gen.facts.auteur))).toBe(true);
    expect(accepts(sol.pages, gen.facts.pages as number)).toBe(true);
    const groups = (challenge('3.3', 'c33-proprietesdocument-5-a').solution as { groups: string[][] }).groups;
    expect(groups.map((g) => g[0])).toEqual(gen.facts.motsCles);
  });

  it('the guide is the committed file and its licence facts are what the solution expects', async () => {
    const gen = byFile(c33, '3.3/guide-jardin-partage.pdf');
    const bytes = await gen.build();
    expect(
      Buffer.compare(Buffer.from(bytes), fs.readFileSync(path.join(ROOT, 'content/attachments', gen.file))),
    ).toBe(0);
    const sol = challenge('3.3', 'c33-licencesdroits-4-a').solution as Record<string, unknown>;
    expect(accepts(sol.licence, String(gen.facts.licence))).toBe(true);
    expect(accepts(sol.permis, String(gen.facts.permis))).toBe(true);
  });
});
