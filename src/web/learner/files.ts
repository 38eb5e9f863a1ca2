import path from 'node:path';
import type { RequestHandler } from 'express';
import type { ContentBank } from '../../content/bank';
import { CONTENT_DIR } from '../../paths';

/** Every file of content/attachments that a challenge or a module refers to: the only ones served. */
export function referencedFiles(bank: ContentBank): Set<string> {
  const files = new Set<string>();
  for (const c of bank.challenges.values()) {
    if (c.illustration) files.add(c.illustration.file);
    for (const a of c.attachments ?? []) files.add(a.file);
  }
  for (const m of bank.modules.values()) {
    if (m.details.image) files.add(m.details.image.file);
    for (const e of m.sections.flatMap((s) => s.grains).flatMap((g) => g.elements)) {
      if (e.type === 'image' || e.type === 'download') files.add(e.file);
      if (e.type === 'video') {
        files.add(e.file);
        files.add(e.captions.fr);
        files.add(e.captions.en);
        if (e.poster) files.add(e.poster);
      }
    }
  }
  return files;
}

const ATTACHMENTS_DIR = path.join(CONTENT_DIR, 'attachments');

/**
 * GET /learn/files/<file>: content files behind the launch session (mount after requireLaunch).
 * Only files the content refers to are served, so no path a browser makes up reaches the disk.
 */
export function contentFiles(bank: ContentBank): RequestHandler {
  const allowed = referencedFiles(bank);
  return (req, res, next) => {
    const raw = (req.params as Record<string, string | string[]>).file;
    const file = Array.isArray(raw) ? raw.join('/') : (raw ?? '');
    if (!allowed.has(file)) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'private, max-age=3600');
    if (req.query.download === '1') res.attachment(path.posix.basename(file));
    res.sendFile(file, { root: ATTACHMENTS_DIR, dotfiles: 'deny' }, (err) => {
      if (err && !res.headersSent) next();
    });
  };
}
