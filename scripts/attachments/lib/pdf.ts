import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';

export interface PdfMeta {
  title: string;
  author: string;
  subject?: string;
  keywords?: string[];
  /** The application that made the original (default "pix-lti attachments"). */
  creator?: string;
  producer?: string;
  /** Fixed dates: PDFs otherwise carry the time they were generated. */
  created: Date;
  modified?: Date;
  /** BCP 47, default fr-FR. */
  language?: string;
}

/** A paragraph of text; long lines wrap to the page width. */
export type PdfBlock = string | { text: string; size?: number; bold?: boolean };

export interface PdfDocumentSpec extends PdfMeta {
  /** Each page is a list of blocks, top to bottom. A4 portrait. */
  pages: readonly (readonly PdfBlock[])[];
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;

/**
 * The standard fonts only know WinAnsi: French text fits, except the narrow no-break space that
 * French typography puts before « : ; ! ? », which becomes a plain no-break space.
 */
export function toWinAnsi(text: string): string {
  return text.replace(/[\u202F\u2009]/g, '\u00A0');
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && font.widthOfTextAtSize(candidate, size) > width) {
        lines.push(line);
        line = word;
      } else {
        line = candidate;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** A text PDF with fixed metadata: the same spec always gives the same bytes. */
export async function pdf(spec: PdfDocumentSpec): Promise<Uint8Array> {
  if (spec.pages.length === 0) throw new Error('a PDF needs at least one page');
  const doc = await PDFDocument.create({ updateMetadata: false });
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const [width, height] = A4;
  for (const blocks of spec.pages) {
    const page = doc.addPage(A4);
    let y = height - MARGIN;
    for (const raw of blocks) {
      const block = typeof raw === 'string' ? { text: raw } : raw;
      const size = block.size ?? 11;
      const font = block.bold ? bold : regular;
      for (const line of wrap(toWinAnsi(block.text), font, size, width - 2 * MARGIN)) {
        y -= size * 1.35;
        if (y < MARGIN) throw new Error('pdf: page overflow, split the text over more pages');
        page.drawText(line, { x: MARGIN, y, size, font, color: rgb(0, 0, 0) });
      }
      y -= size * 0.6;
    }
  }
  doc.setTitle(spec.title, { showInWindowTitleBar: true });
  doc.setAuthor(spec.author);
  if (spec.subject) doc.setSubject(spec.subject);
  if (spec.keywords) doc.setKeywords(spec.keywords);
  doc.setCreator(spec.creator ?? 'pix-lti attachments');
  doc.setProducer(spec.producer ?? 'pix-lti attachments');
  doc.setCreationDate(spec.created);
  doc.setModificationDate(spec.modified ?? spec.created);
  doc.setLanguage(spec.language ?? 'fr-FR');
  return doc.save({ useObjectStreams: false });
}
