import { escapeXml, isoSeconds, XML_DECLARATION } from './xml';
import { zip, type ZipEntry } from './zip';

/** Document properties, shown by office suites under File > Properties. */
export interface OfficeMeta {
  title?: string;
  subject?: string;
  author?: string;
  /** Defaults to `author`. */
  lastModifiedBy?: string;
  keywords?: string;
  /** Fixed so the file is reproducible (default 2024-01-01T00:00:00Z). */
  created?: Date;
  /** Defaults to `created`. */
  modified?: Date;
}

const DEFAULT_DATE = new Date(Date.UTC(2024, 0, 1));

function dates(meta: OfficeMeta): { created: string; modified: string } {
  const created = meta.created ?? DEFAULT_DATE;
  return { created: isoSeconds(created), modified: isoSeconds(meta.modified ?? created) };
}

const optional = (tag: string, value: string | undefined): string =>
  value ? `<${tag}>${escapeXml(value)}</${tag.split(' ')[0]}>` : '';

// ---------- Office Open XML (docx, xlsx) ----------

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function ooxmlCore(meta: OfficeMeta): string {
  const { created, modified } = dates(meta);
  return (
    XML_DECLARATION +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    optional('dc:title', meta.title) +
    optional('dc:subject', meta.subject) +
    optional('dc:creator', meta.author) +
    optional('cp:keywords', meta.keywords) +
    optional('cp:lastModifiedBy', meta.lastModifiedBy ?? meta.author) +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${created}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${modified}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

export interface OoxmlPart {
  path: string;
  contentType: string;
  data: string;
}

/**
 * An OOXML package: content types, the root relationships to `main` and docProps/core.xml, then the
 * parts. `mainRels` are the main part's own relationships (styles, worksheets…), each with its type.
 */
export function ooxmlPackage(
  main: OoxmlPart,
  mainRels: { id: string; type: string; target: string }[],
  parts: OoxmlPart[],
  meta: OfficeMeta,
): Uint8Array {
  const all = [main, ...parts];
  const contentTypes =
    XML_DECLARATION +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    all.map((p) => `<Override PartName="/${p.path}" ContentType="${p.contentType}"/>`).join('') +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '</Types>';
  const rootRels =
    XML_DECLARATION +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="${main.path}"/>` +
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
    '</Relationships>';
  const dir = main.path.includes('/') ? main.path.slice(0, main.path.lastIndexOf('/')) : '';
  const name = main.path.slice(main.path.lastIndexOf('/') + 1);
  const relsOfMain =
    XML_DECLARATION +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    mainRels
      .map((r) => `<Relationship Id="${r.id}" Type="${REL}/${r.type}" Target="${r.target}"/>`)
      .join('') +
    '</Relationships>';
  const entries: ZipEntry[] = [
    { path: '[Content_Types].xml', data: contentTypes },
    { path: '_rels/.rels', data: rootRels },
    { path: 'docProps/core.xml', data: ooxmlCore(meta) },
    { path: main.path, data: main.data },
    { path: `${dir ? dir + '/' : ''}_rels/${name}.rels`, data: relsOfMain },
    ...parts.map((p) => ({ path: p.path, data: p.data })),
  ];
  return zip(entries);
}

// ---------- OpenDocument (odt, ods) ----------

export const ODF_NAMESPACES =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ' +
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ' +
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ' +
  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" ' +
  'xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
  'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3"';

function odfMeta(meta: OfficeMeta): string {
  const { created, modified } = dates(meta);
  return (
    XML_DECLARATION +
    `<office:document-meta ${ODF_NAMESPACES}><office:meta>` +
    optional('dc:title', meta.title) +
    optional('dc:subject', meta.subject) +
    optional('meta:keyword', meta.keywords) +
    optional('meta:initial-creator', meta.author) +
    optional('dc:creator', meta.lastModifiedBy ?? meta.author) +
    `<meta:creation-date>${created}</meta:creation-date><dc:date>${modified}</dc:date>` +
    '</office:meta></office:document-meta>'
  );
}

/** An ODF package: `mimetype` first and stored, a manifest listing every part, then meta.xml. */
export function odfPackage(mimetype: string, parts: Record<string, string>, meta: OfficeMeta): Uint8Array {
  const all = { ...parts, 'meta.xml': odfMeta(meta) };
  const manifest =
    XML_DECLARATION +
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">' +
    `<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="${mimetype}"/>` +
    Object.keys(all)
      .map((p) => `<manifest:file-entry manifest:full-path="${p}" manifest:media-type="text/xml"/>`)
      .join('') +
    '</manifest:manifest>';
  return zip([
    { path: 'mimetype', data: mimetype, store: true },
    { path: 'META-INF/manifest.xml', data: manifest },
    ...Object.entries(all).map(([path, data]) => ({ path, data })),
  ]);
}
