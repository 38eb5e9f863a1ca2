import fs from 'node:fs';
import path from 'node:path';

/** The checkout's root (where package.json is), whether running from src/ via ts or from dist/. */
export const PROJECT_ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the project root (no package.json above ' + __dirname + ')');
    dir = up;
  }
  return dir;
})();

export const VIEWS_DIR = path.join(PROJECT_ROOT, 'views');
export const PUBLIC_DIR = path.join(PROJECT_ROOT, 'public');
export const CONTENT_DIR = path.join(PROJECT_ROOT, 'content');
