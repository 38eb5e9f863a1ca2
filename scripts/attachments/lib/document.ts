import { ODF_NAMESPACES, odfPackage, ooxmlPackage, type OfficeMeta } from './office';
import { escapeXml, isoSeconds, XML_DECLARATION } from './xml';

/** A revision recorded by "track changes": who inserted or deleted this run, and when. */
export interface TrackedChange {
  type: 'insertion' | 'deletion';
  author: string;
  date: Date;
}

export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  change?: TrackedChange;
}

export const PARAGRAPH_STYLES = ['Normal', 'Title', 'Heading1', 'Heading2', 'Heading3'] as const;
export type ParagraphStyle = (typeof PARAGRAPH_STYLES)[number];

export interface Paragraph {
  style?: ParagraphStyle;
  runs: readonly (string | Run)[];
}

const asRun = (run: string | Run): Run => (typeof run === 'string' ? { text: run } : run);

function checkParagraphs(paragraphs: readonly Paragraph[]): void {
  for (const p of paragraphs) {
    if (p.style && !PARAGRAPH_STYLES.includes(p.style)) throw new Error(`unknown paragraph style ${p.style}`);
  }
}

// ---------- docx ----------

function docxRun(run: Run, deleted: boolean): string {
  const props = (run.bold ? '<w:b/>' : '') + (run.italic ? '<w:i/>' : '');
  const tag = deleted ? 'w:delText' : 'w:t';
  return `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ''}<${tag} xml:space="preserve">${escapeXml(run.text)}</${tag}></w:r>`;
}

const DOCX_STYLE_DEFS: Record<ParagraphStyle, string> = {
  Normal:
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:spacing w:after="160"/></w:pPr><w:rPr><w:sz w:val="22"/></w:rPr></w:style>',
  Title:
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:rPr><w:b/><w:sz w:val="48"/></w:rPr></w:style>',
  Heading1:
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="36"/></w:rPr></w:style>',
  Heading2:
    '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="30"/></w:rPr></w:style>',
  Heading3:
    '<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/></w:rPr></w:style>',
};

/**
 * A .docx document: styled paragraphs of runs, some of them tracked insertions or deletions (shown
 * by Word and LibreOffice under Review > Track changes with their author and date).
 */
export function docx(paragraphs: readonly Paragraph[], meta: OfficeMeta = {}): Uint8Array {
  checkParagraphs(paragraphs);
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  let revision = 0;
  const body = paragraphs
    .map((p) => {
      const style = p.style && p.style !== 'Normal' ? `<w:pPr><w:pStyle w:val="${p.style}"/></w:pPr>` : '';
      const runs = p.runs
        .map(asRun)
        .map((run) => {
          if (!run.change) return docxRun(run, false);
          const tag = run.change.type === 'insertion' ? 'w:ins' : 'w:del';
          const attrs = `w:id="${++revision}" w:author="${escapeXml(run.change.author)}" w:date="${isoSeconds(run.change.date)}"`;
          return `<${tag} ${attrs}>${docxRun(run, run.change.type === 'deletion')}</${tag}>`;
        })
        .join('');
      return `<w:p>${style}${runs}</w:p>`;
    })
    .join('');
  const document =
    XML_DECLARATION +
    `<w:document xmlns:w="${W}"><w:body>${body}` +
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" w:right="1417" w:bottom="1417" w:left="1417" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>' +
    '</w:body></w:document>';
  const styles =
    XML_DECLARATION + `<w:styles xmlns:w="${W}">` + Object.values(DOCX_STYLE_DEFS).join('') + '</w:styles>';
  const ns = 'application/vnd.openxmlformats-officedocument.wordprocessingml';
  return ooxmlPackage(
    { path: 'word/document.xml', contentType: `${ns}.document.main+xml`, data: document },
    [{ id: 'rId1', type: 'styles', target: 'styles.xml' }],
    [{ path: 'word/styles.xml', contentType: `${ns}.styles+xml`, data: styles }],
    meta,
  );
}

// ---------- odt ----------

const ODT_STYLE_NAMES: Record<ParagraphStyle, { name: string; level?: number }> = {
  Normal: { name: 'Standard' },
  Title: { name: 'Title' },
  Heading1: { name: 'Heading_20_1', level: 1 },
  Heading2: { name: 'Heading_20_2', level: 2 },
  Heading3: { name: 'Heading_20_3', level: 3 },
};

const ODT_STYLES =
  XML_DECLARATION +
  `<office:document-styles ${ODF_NAMESPACES}><office:styles>` +
  '<style:style style:name="Standard" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.25cm"/><style:text-properties fo:font-size="11pt"/></style:style>' +
  '<style:style style:name="Title" style:display-name="Title" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-size="24pt" fo:font-weight="bold"/></style:style>' +
  [1, 2, 3]
    .map(
      (level) =>
        `<style:style style:name="Heading_20_${level}" style:display-name="Heading ${level}" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="${level}"><style:text-properties fo:font-size="${[18, 15, 13][level - 1]}pt" fo:font-weight="bold"/></style:style>`,
    )
    .join('') +
  '</office:styles></office:document-styles>';

/** An .odt document, the same idea as `docx` (tracked changes included). */
export function odt(paragraphs: readonly Paragraph[], meta: OfficeMeta = {}): Uint8Array {
  checkParagraphs(paragraphs);
  const regions: string[] = [];
  const changeInfo = (c: TrackedChange) =>
    `<office:change-info><dc:creator>${escapeXml(c.author)}</dc:creator><dc:date>${isoSeconds(c.date)}</dc:date></office:change-info>`;
  const inline = (run: Run): string => {
    const text = escapeXml(run.text);
    const styled =
      run.bold || run.italic ? `<text:span text:style-name="${spanStyle(run)}">${text}</text:span>` : text;
    if (!run.change) return styled;
    const id = `ct${regions.length + 1}`;
    if (run.change.type === 'insertion') {
      regions.push(
        `<text:changed-region text:id="${id}"><text:insertion>${changeInfo(run.change)}</text:insertion></text:changed-region>`,
      );
      return `<text:change-start text:change-id="${id}"/>${styled}<text:change-end text:change-id="${id}"/>`;
    }
    // A deletion keeps the removed text in the change region, not in the body.
    regions.push(
      `<text:changed-region text:id="${id}"><text:deletion>${changeInfo(run.change)}<text:p>${styled}</text:p></text:deletion></text:changed-region>`,
    );
    return `<text:change text:change-id="${id}"/>`;
  };
  const body = paragraphs
    .map((p) => {
      const style = ODT_STYLE_NAMES[p.style ?? 'Normal'];
      const runs = p.runs.map(asRun).map(inline).join('');
      return style.level
        ? `<text:h text:style-name="${style.name}" text:outline-level="${style.level}">${runs}</text:h>`
        : `<text:p text:style-name="${style.name}">${runs}</text:p>`;
    })
    .join('');
  const tracked = regions.length
    ? `<text:tracked-changes text:track-changes="true">${regions.join('')}</text:tracked-changes>`
    : '';
  const content =
    XML_DECLARATION +
    `<office:document-content ${ODF_NAMESPACES}><office:automatic-styles>` +
    '<style:style style:name="Tb" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>' +
    '<style:style style:name="Ti" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>' +
    '<style:style style:name="Tbi" style:family="text"><style:text-properties fo:font-weight="bold" fo:font-style="italic"/></style:style>' +
    `</office:automatic-styles><office:body><office:text>${tracked}${body}</office:text></office:body></office:document-content>`;
  return odfPackage(
    'application/vnd.oasis.opendocument.text',
    { 'content.xml': content, 'styles.xml': ODT_STYLES },
    meta,
  );
}

function spanStyle(run: Run): string {
  return run.bold && run.italic ? 'Tbi' : run.bold ? 'Tb' : 'Ti';
}
