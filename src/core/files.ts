/**
 * Reading repository files safely: a size cap (never read a huge file into memory), binary detection, BOM and CRLF
 * normalisation, and no reading through a symlink that leaves the scanned root.
 *
 * Cheap on purpose (it runs for thousands of files): the folder listings discovery already made answer "is there a
 * file X here, and is it a regular file?" without a system call, and such a file is read with one
 * open/fstat/read/close into a shared buffer (`O_NOFOLLOW`: had it become a symlink since, the open fails). A path
 * in a folder that was not listed is checked with lstat first, so nothing but a regular file is ever opened.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stripBom } from './text.js';

export const MAX_FILE_BYTES = 1024 * 1024;

/** `replaced`: the file is not valid UTF-8; `text` holds U+FFFD for each bad sequence (first one at line/column). */
export type ReadResult = { text: string; replaced?: { line: number; column: number } } | { missing: true } | { error: string };

export interface SourceReader {
  /**
   * A text file. Not valid UTF-8 is an error unless `lossy` (Docker builds a Dockerfile whatever its bytes: it is
   * decoded with replacement characters, one per bad sequence, so that lines and columns stay those of the file).
   */
  readText(abs: string, opts?: { lossy?: boolean }): ReadResult;
  isDir(abs: string): boolean;
  exists(abs: string): boolean;
  /** Tells the reader what a folder holds (discovery lists every folder it walks), so lookups there need no I/O. */
  know?(dirAbs: string, entries: readonly fs.Dirent[]): void;
  /** The names in a folder and whether each is a folder; undefined when it cannot be listed. */
  list?(dirAbs: string): { name: string; dir: boolean }[] | undefined;
}

/** What a listed folder entry is; a symlink is resolved on demand. */
type Kind = 'file' | 'dir' | 'link' | 'other';

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
/** O_NONBLOCK: opening a FIFO must not hang. Platforms without O_NOFOLLOW (Windows) check with lstat first. */
const OPEN_FLAGS = O_RDONLY | (O_NOFOLLOW ?? 0) | (O_NONBLOCK ?? 0);
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Linux file systems are case-sensitive (as on the runners); macOS and Windows ones usually are not. */
const CASE_SENSITIVE = process.platform === 'linux';

export function createReader(root: string, maxBytes = MAX_FILE_BYTES): SourceReader {
  const realRoot = safeRealpath(root) ?? root;
  const cache = new Map<string, ReadResult>();
  const dirs = new Map<string, boolean>();
  const present = new Map<string, boolean>();
  const listings = new Map<string, Map<string, Kind>>();
  let scratch = Buffer.allocUnsafe(64 * 1024);
  const inside = (p: string): boolean => p === realRoot || p.startsWith(realRoot + path.sep);
  /**
   * The kind of `abs` from its folder's listing: undefined when the folder was not listed, null when absent. Where
   * file names may match in another case (macOS, Windows), an absent name is left to the file system to decide.
   */
  const listed = (abs: string): Kind | null | undefined => {
    const listing = listings.get(path.dirname(abs));
    if (!listing) return undefined;
    return listing.get(path.basename(abs)) ?? (CASE_SENSITIVE ? null : undefined);
  };
  const know = (dirAbs: string, entries: readonly fs.Dirent[]): void => {
    const listing = new Map<string, Kind>();
    for (const e of entries) listing.set(e.name, e.isSymbolicLink() ? 'link' : e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other');
    listings.set(dirAbs, listing);
  };
  return {
    readText(abs, opts) {
      let r = cache.get(abs);
      if (!r) {
        r = read(abs, listed(abs));
        cache.set(abs, r);
      }
      return strictUnlessLossy(r, opts);
    },
    isDir(abs) {
      let d = dirs.get(abs);
      if (d === undefined) {
        const kind = listed(abs);
        d = kind === null ? false : kind === 'dir' ? true : kind === 'file' || kind === 'other' ? false : (fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory() ?? false);
        dirs.set(abs, d);
      }
      return d;
    },
    exists(abs) {
      let e = present.get(abs);
      if (e === undefined) {
        const kind = listed(abs);
        e = kind === null ? false : kind === 'link' || kind === undefined ? fs.existsSync(abs) : true;
        present.set(abs, e);
      }
      return e;
    },
    know,
    list(dirAbs) {
      if (!listings.has(dirAbs)) {
        const real = safeRealpath(dirAbs);
        if (!real || !inside(real)) return undefined;
        try {
          know(dirAbs, fs.readdirSync(dirAbs, { withFileTypes: true }));
        } catch {
          return undefined;
        }
      }
      // A symlink is not followed here (a folder linked from elsewhere is not walked into).
      return [...listings.get(dirAbs)!].map(([name, kind]) => ({ name, dir: kind === 'dir' }));
    },
  };

  function read(abs: string, kind: Kind | null | undefined): ReadResult {
    if (kind === null) return { missing: true };
    if (kind === 'dir') return { error: 'a directory, not a file' };
    if (kind === 'other') return { error: 'not a regular file' };
    if (kind !== 'file' || O_NOFOLLOW === undefined) {
      const st = statOf(abs, fs.lstatSync);
      if (!st) return { missing: true };
      if ('error' in st) return st;
      if (st.isSymbolicLink()) return readLink(abs);
      const bad = notRegular(st);
      if (bad) return bad;
    }
    return openAndRead(abs, OPEN_FLAGS, (code) => (code === 'ENOENT' || code === 'ENOTDIR' ? { missing: true } : code === 'ELOOP' ? readLink(abs) : code === 'ENXIO' ? { error: 'not a regular file' } : undefined));
  }

  function readLink(abs: string): ReadResult {
    const real = safeRealpath(abs);
    if (!real) return { error: 'a symlink that points nowhere (or into a loop): not followed' };
    if (!inside(real)) return { error: 'a symlink that points outside the scanned root: not followed' };
    const st = statOf(real, fs.statSync);
    if (!st) return { error: 'a symlink that points nowhere (or into a loop): not followed' };
    if ('error' in st) return st;
    return notRegular(st) ?? openAndRead(real, O_RDONLY | (O_NONBLOCK ?? 0));
  }

  /** Opens, reads and closes; `onOpenError` may turn an open failure's code into a result of its own. */
  function openAndRead(p: string, flags: number, onOpenError?: (code: string | undefined) => ReadResult | undefined): ReadResult {
    let fd: number;
    try {
      fd = fs.openSync(p, flags);
    } catch (e) {
      return onOpenError?.((e as NodeJS.ErrnoException).code) ?? cannotRead(e);
    }
    try {
      return readOpen(fd);
    } catch (e) {
      return cannotRead(e);
    } finally {
      fs.closeSync(fd);
    }
  }

  function readOpen(fd: number): ReadResult {
    const st = fs.fstatSync(fd);
    const bad = notRegular(st);
    if (bad) return bad;
    if (st.size > maxBytes) return { error: `${st.size} bytes, over the ${maxBytes}-byte limit: not analysed` };
    // Read up to the size fstat reported (to EOF when it reports 0, as /proc does), never past the cap: one read for
    // most files, not a second one to see EOF. A file growing meanwhile may be read short of its new end.
    let total = 0;
    while (st.size === 0 || total < st.size) {
      if (total === scratch.length) {
        if (total > maxBytes) break;
        const bigger = Buffer.allocUnsafe(Math.min(scratch.length * 2, maxBytes + 1));
        scratch.copy(bigger, 0, 0, total);
        scratch = bigger;
      }
      const n = fs.readSync(fd, scratch, total, scratch.length - total, null);
      if (n === 0) break;
      total += n;
    }
    if (total > maxBytes) return { error: `over the ${maxBytes}-byte limit: not analysed` };
    return decode(scratch.subarray(0, total));
  }
}

const lossyUtf8 = new TextDecoder('utf-8', { fatal: false });

/** Text with U+FFFD for bad UTF-8 (`replaced` says where the first is); NUL bytes are a binary file. */
export function decode(buf: Buffer): ReadResult {
  if (buf.includes(0)) return { error: 'a binary file (it contains NUL bytes): not analysed' };
  let text: string;
  let bad = false;
  try {
    text = utf8.decode(buf);
  } catch {
    text = lossyUtf8.decode(buf);
    bad = true;
  }
  text = stripBom(text);
  if (text.includes('\r\n')) text = text.replace(/\r\n/g, '\n');
  if (!bad) return { text };
  const at = Math.max(0, text.indexOf('\uFFFD'));
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { text, replaced: { line, column: at - before.lastIndexOf('\n') } };
}

/** A read that is not valid UTF-8 is an error, unless the caller takes replacement characters. */
export function strictUnlessLossy(r: ReadResult, opts?: { lossy?: boolean }): ReadResult {
  if (!('text' in r) || !r.replaced || opts?.lossy) return r;
  return { error: `not valid UTF-8 text (line ${r.replaced.line}, column ${r.replaced.column}): not analysed` };
}

function cannotRead(e: unknown): ReadResult {
  return { error: `cannot read: ${(e as Error).message}` };
}

/** A stat call: undefined when the path does not exist, an error result when it cannot be checked. */
function statOf(p: string, stat: typeof fs.statSync): fs.Stats | { error: string } | undefined {
  try {
    return stat(p, { throwIfNoEntry: false });
  } catch (e) {
    return { error: `cannot read: ${(e as Error).message}` };
  }
}

/** Why a path that exists is not read as a file, if it is not a regular one. */
function notRegular(st: fs.Stats): ReadResult | undefined {
  if (st.isDirectory()) return { error: 'a directory, not a file' };
  if (!st.isFile()) return { error: 'not a regular file' };
  return undefined;
}

function safeRealpath(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}
