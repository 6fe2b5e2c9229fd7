// Workspace discovery: which files are scanned, which are skipped and why.
// OWNER NOTE: minimal walk; see docs/engine.md for what it must become.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SkippedEntry } from './types';

export interface DiscoveredFile {
  /** Path relative to the root, with `/`. */
  path: string;
  absPath: string;
  size: number;
}

export interface DiscoverOptions {
  include: string[];
  ignore: string[];
  maxFileSize: number;
}

export const DEFAULT_EXCLUDED_DIRS = ['node_modules', '.git', 'venv', '.venv', 'dist', 'build', 'out', 'coverage', '__pycache__', '.next', 'third_party', 'vendor'];

export async function discover(root: string, opts: DiscoverOptions): Promise<{ files: DiscoveredFile[]; skipped: SkippedEntry[] }> {
  const files: DiscoveredFile[] = [];
  const skipped: SkippedEntry[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.promises.readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      const rel = path.relative(root, abs).split(path.sep).join('/');
      if (e.isDirectory()) {
        if (DEFAULT_EXCLUDED_DIRS.includes(e.name)) continue;
        await walk(abs);
      } else if (e.isFile()) {
        const st = await fs.promises.stat(abs);
        if (st.size > opts.maxFileSize) skipped.push({ file: rel, reason: `larger than maxFileSize (${st.size} bytes)` });
        else files.push({ path: rel, absPath: abs, size: st.size });
      }
    }
  };
  await walk(root);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, skipped };
}
