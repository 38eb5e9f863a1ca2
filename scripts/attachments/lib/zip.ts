import { zipSync, type Zippable } from 'fflate';

export interface ZipEntry {
  path: string;
  data: Uint8Array | string;
  /** Store without compression (ODF requires it for `mimetype`). */
  store?: boolean;
}

/**
 * 1980-01-01 00:00 local time, the smallest DOS date. Built from local components because ZIP stores
 * local time: any time zone then writes the same bytes.
 */
export const ZIP_EPOCH = new Date(1980, 0, 1, 0, 0, 0);

/** A ZIP archive whose bytes depend only on the entries (fixed dates, entries kept in order). */
export function zip(entries: readonly ZipEntry[], mtime: Date = ZIP_EPOCH): Uint8Array {
  const seen = new Set<string>();
  const files: Zippable = {};
  for (const entry of entries) {
    if (seen.has(entry.path)) throw new Error(`zip: duplicate entry ${entry.path}`);
    seen.add(entry.path);
    const data = typeof entry.data === 'string' ? new TextEncoder().encode(entry.data) : entry.data;
    files[entry.path] = [data, { level: entry.store ? 0 : 9, mtime }];
  }
  return zipSync(files, { mtime });
}
