/** `docker diff` lines, classified against the writable mounts and the allowed paths. Pure. */
import picomatch from 'picomatch';

export interface DiffLine {
  kind: 'A' | 'C' | 'D';
  path: string;
  expected: boolean;
  why?: string;
}

export function parseDiff(text: string): { kind: 'A' | 'C' | 'D'; path: string }[] {
  const out: { kind: 'A' | 'C' | 'D'; path: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^([ACD]) (\/.*)$/.exec(line.trim());
    if (m) out.push({ kind: m[1] as 'A' | 'C' | 'D', path: m[2]! });
  }
  return out;
}

const norm = (p: string): string => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/** Expected: a mount point, a parent directory of one (Docker creates those), or an allowed glob. */
export function classifyDiff(text: string, mountPoints: string[], allow: string[]): DiffLine[] {
  const mounts = mountPoints.map(norm);
  const allowed = allow.length ? picomatch(allow, { dot: true }) : undefined;
  return parseDiff(text).map(({ kind, path }) => {
    const p = norm(path);
    if (mounts.includes(p)) return { kind, path, expected: true, why: 'mount point' };
    if (mounts.some((m) => m.startsWith(`${p}/`))) return { kind, path, expected: true, why: 'parent of a mount point' };
    if (allowed?.(p)) return { kind, path, expected: true, why: 'smoke-allow-writes' };
    return { kind, path, expected: false };
  });
}
