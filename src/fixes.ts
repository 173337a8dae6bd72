/** `--fix` / `--fix --dry-run`: apply the findings' edits to the files on disk, or print them as a unified diff. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Finding } from './core/types.js';
import { applyEdits, type Edit } from './core/fix.js';

export interface FileFix {
  file: string;
  before: string;
  after: string;
  applied: number;
  skipped: { edit: Edit; reason: string }[];
}

export function computeFixes(root: string, findings: Finding[]): FileFix[] {
  const byFile = new Map<string, Edit[]>();
  for (const f of findings) for (const e of f.edits ?? []) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const out: FileFix[] = [];
  for (const [file, edits] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const abs = path.join(root, file);
    const before = fs.readFileSync(abs, 'utf8');
    const r = applyEdits(before, edits);
    out.push({ file, before, after: r.text, applied: r.applied.length, skipped: r.skipped });
  }
  return out;
}

export function unifiedDiff(fixes: FileFix[]): string {
  return fixes
    .filter((f) => f.before !== f.after)
    .map((f) => createTwoFilesPatch(`a/${f.file}`, `b/${f.file}`, f.before, f.after, '', '', { context: 3 }).replace(/^={60,}\n/m, ''))
    .join('');
}

export function writeFixes(root: string, fixes: FileFix[]): void {
  for (const f of fixes) if (f.before !== f.after) fs.writeFileSync(path.join(root, f.file), f.after);
}
