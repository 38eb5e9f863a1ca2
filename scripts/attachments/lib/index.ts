/** Reproducible attachment files for challenges and modules: same input, same bytes. */
export type { AttachmentGenerator, GeneratedAttachment } from './types';
export { zip, ZIP_EPOCH, type ZipEntry } from './zip';
export { csv, type CsvCell, type CsvOptions } from './csv';
export { xlsx, ods, columnName, type Sheet, type SheetCell } from './spreadsheet';
export {
  docx,
  odt,
  PARAGRAPH_STYLES,
  type Paragraph,
  type ParagraphStyle,
  type Run,
  type TrackedChange,
} from './document';
export type { OfficeMeta } from './office';
export { pdf, toWinAnsi, type PdfBlock, type PdfDocumentSpec, type PdfMeta } from './pdf';
export { jpegWithExif, insertApp1, type JpegSpec, type Rgb } from './jpeg';
export { exifPayload, readExif, type ExifData } from './exif';
