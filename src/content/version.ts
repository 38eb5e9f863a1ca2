import { createHash } from 'node:crypto';

/**
 * The content version stamped on attempts: sha256 over every content file, sorted by path. Each
 * entry is `path NUL byte-length NUL bytes`, so that no two different trees hash the same input.
 */
export function contentVersion(files: Iterable<{ path: string; bytes: Uint8Array }>): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(`${file.path}\0${file.bytes.length}\0`);
    hash.update(file.bytes);
  }
  return hash.digest('hex');
}
