/**
 * The build context of a Dockerfile that no compose file builds, found as a reader would: a GitHub workflow that
 * builds it (see ./workflows.ts), else the folder its COPY/ADD sources (and RUN bind-mount sources) resolve in.
 */
import * as path from 'node:path';
import type { SourceReader } from '../files.js';
import type { ImageModel } from './image.js';

export interface InferredContext {
  /** Absolute folder. */
  dir: string;
  /**
   * Why this folder is only assumed (for messages), when nothing shows it: undefined when a workflow builds it there,
   * when every source the Dockerfile copies resolves there, or when the Dockerfile sits at the root (no other folder).
   */
  assumed?: string;
}

/** Folders never taken for a build context. */
const SKIPPED = new Set(['node_modules', '.venv', 'venv', '__pycache__']);

/** Context-relative paths the build reads from its context (not whole-context `.`, globs, URLs or other stages). */
function contextSources(img: ImageModel): string[] {
  const out = new Set<string>();
  const add = (p: string): void => {
    if (/[*?[]/.test(p) || /^[a-z]+:\/\/|^git@/i.test(p) || p.includes('$')) return;
    const s = path.posix.normalize(p.replace(/^\/+/, '')).replace(/\/+$/, '');
    if (s === '.' || s === '' || s.startsWith('../')) return;
    out.add(s);
  };
  for (const stage of img.stages) {
    for (const c of stage.copies) if (c.from === undefined) for (const s of c.sources) add(s.path);
    for (const r of stage.runs) for (const m of r.mounts) if (m.type === 'bind' && !m.from && m.source) add(m.source);
  }
  return [...out];
}

/**
 * Among the Dockerfile's folder and its ancestors up to the root, the one where most of its sources exist (the
 * nearest on a tie); when none holds them all, the one folder beside those (a child of one of them) that does.
 */
export function inferContext(img: ImageModel, dockerfile: string, root: string, reader: SourceReader): InferredContext {
  const sources = contextSources(img);
  const candidates: string[] = [];
  for (let d = path.posix.dirname(dockerfile); ; d = path.posix.dirname(d)) {
    candidates.push(d === '.' ? '' : d);
    if (d === '.' || d === '/' || d === '') break;
  }
  let best = candidates[0]!;
  let bestCount = -1;
  for (const c of candidates) {
    const n = sources.filter((s) => reader.exists(path.join(root, c, s))).length;
    if (n > bestCount) {
      best = c;
      bestCount = n;
    }
  }
  if (sources.length > 0 && bestCount < sources.length) {
    // `docker build -f docker/app.Dockerfile ../backend`: a folder beside the Dockerfile's (a child of it or of an
    // ancestor) where every path it copies exists, when exactly one such folder does.
    const found = new Set<string>();
    for (const a of candidates) {
      for (const e of reader.list?.(path.join(root, a)) ?? []) {
        const c = a ? `${a}/${e.name}` : e.name;
        if (!e.dir || e.name.startsWith('.') || SKIPPED.has(e.name) || candidates.includes(c)) continue;
        if (sources.every((s) => reader.exists(path.join(root, c, s)))) found.add(c);
      }
    }
    if (found.size === 1) return { dir: path.join(root, [...found][0]!) };
  }
  const dir = path.join(root, best);
  const shown = best ? `${best}/` : 'the repository root';
  if (candidates.length === 1) return { dir };
  if (sources.length > 0 && bestCount === sources.length) return { dir };
  const why = sources.length === 0 || bestCount <= 0 ? 'its folder' : bestCount < sources.length ? `where ${bestCount} of the ${sources.length} paths it copies exist` : 'where the paths it copies exist';
  return { dir, assumed: `assuming the build context is ${shown} (${why}): no compose file or GitHub workflow builds ${dockerfile}` };
}
