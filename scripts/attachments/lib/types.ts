/**
 * The contract between scripts/attachments/<name>.ts and scripts/generate-attachments.ts.
 *
 * Each generator module does `export default` an array of these. `facts` holds what the file
 * contains that a challenge relies on (the average, the author of a tracked change, the GPS place…),
 * so tests can compare a challenge's stated solution with the data the file was built from.
 */
export interface GeneratedAttachment {
  /** Path under content/attachments/, e.g. `1.3/notes-classe.xlsx`. */
  file: string;
  /** Same input, same bytes: no clock, no randomness. PDF builders are async (pdf-lib). */
  build(): Uint8Array | Promise<Uint8Array>;
  facts: Record<string, unknown>;
}

export type AttachmentGenerator = GeneratedAttachment[];
