import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { ContentBank } from '../content/bank';
import type { Locale } from '../content/schema';
import type { AttestationRepository, AttestationRow } from '../db/repositories/attestations';
import { ATTESTATION_CODE_PATTERN } from './random';

/** What anyone holding the code may see: initials, parcours, date. Nothing else personal. */
export interface PublicAttestation {
  code: string;
  holderInitials: string | null;
  parcoursId: string;
  parcoursTitle: { fr: string; en: string };
  attestationTitle: { fr: string; en: string };
  issuedAt: number;
}

/** "Léa Martin" → "L. M."; null stays null. */
export function initialsOf(name: string | null): string | null {
  if (!name) return null;
  const parts = name
    .split(/[\s-]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) return null;
  return parts.map((p) => `${Array.from(p)[0]!.toUpperCase()}.`).join(' ');
}

export function publicView(bank: ContentBank, row: AttestationRow): PublicAttestation {
  const parcours = bank.parcours.get(row.parcours_id);
  const title = parcours?.title ?? { fr: row.parcours_id, en: row.parcours_id };
  return {
    code: row.code,
    holderInitials: initialsOf(row.holder_name),
    parcoursId: row.parcours_id,
    parcoursTitle: title,
    attestationTitle: parcours?.attestation?.title ?? title,
    issuedAt: row.issued_at,
  };
}

/** Looks a code up; a malformed code is not even queried. */
export async function verifyAttestation(
  deps: { attestations: AttestationRepository; bank: ContentBank },
  rawCode: string,
): Promise<PublicAttestation | undefined> {
  const code = rawCode.trim().toUpperCase();
  if (!ATTESTATION_CODE_PATTERN.test(code)) return undefined;
  const row = await deps.attestations.byCode(code);
  return row ? publicView(deps.bank, row) : undefined;
}

export interface AttestationPdfInput {
  locale: Locale;
  holderName: string | null;
  title: string;
  parcoursTitle: string;
  description: string;
  issuedOn: string;
  code: string;
  verifyUrl: string;
  labels: { awardedTo: string; issuedOn: string; code: string; verify: string; anonymous: string };
}

// The standard PDF fonts encode WinAnsi only: typographic quotes and accents are in it, the rest is not.
function winAnsi(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u202f\u00a0]/g, ' ')
    .replace(/[^\x20-\x7e\u00a0-\u00ff\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u20ac\u0152\u0153]/g, '?');
}

function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if ((line + ' ' + word).trim().length > max) {
      if (line) lines.push(line);
      line = word;
    } else line = (line + ' ' + word).trim();
  }
  if (line) lines.push(line);
  return lines;
}

/** A one-page A4 landscape attestation, built on the server (no browser in production). */
export async function attestationPdf(input: AttestationPdfInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(winAnsi(input.title));
  doc.setLanguage(input.locale === 'fr' ? 'fr-FR' : 'en-GB');
  doc.setCreator('pix-lti');
  const page = doc.addPage([842, 595]);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const ink = rgb(0.1, 0.1, 0.18);
  const accent = rgb(0.16, 0.24, 0.68);
  page.drawRectangle({ x: 24, y: 24, width: 794, height: 547, borderColor: accent, borderWidth: 3 });
  const centre = (text: string, y: number, size: number, font = regular, color = ink) => {
    const t = winAnsi(text);
    const width = font.widthOfTextAtSize(t, size);
    page.drawText(t, { x: (842 - width) / 2, y, size, font, color });
  };
  let y = 480;
  for (const line of wrap(input.title, 48)) {
    centre(line, y, 28, bold, accent);
    y -= 36;
  }
  y -= 10;
  centre(input.labels.awardedTo, y, 14);
  y -= 34;
  centre(input.holderName ?? input.labels.anonymous, y, 24, bold);
  y -= 36;
  centre(input.parcoursTitle, y, 16, bold);
  y -= 26;
  for (const line of wrap(input.description, 95).slice(0, 4)) {
    centre(line, y, 11);
    y -= 16;
  }
  centre(`${input.labels.issuedOn} ${input.issuedOn}`, 120, 12);
  centre(`${input.labels.code} ${input.code}`, 96, 14, bold);
  centre(`${input.labels.verify} ${input.verifyUrl}`, 72, 10);
  return doc.save();
}
