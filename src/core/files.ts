/**
 * Reading repository files safely: a size cap (never read a huge file into memory), binary detection, BOM and CRLF
 * normalisation, and no reading through a symlink that leaves the scanned root.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stripBom } from './text.js';

export const MAX_FILE_BYTES = 1024 * 1024;

export type ReadResult = { text: string } | { missing: true } | { error: string };

export interface SourceReader {
  readText(abs: string): ReadResult;
  isDir(abs: string): boolean;
  exists(abs: string): boolean;
}

export function createReader(root: string, maxBytes = MAX_FILE_BYTES): SourceReader {
  const realRoot = safeRealpath(root) ?? root;
  const cache = new Map<string, ReadResult>();
  const dirs = new Map<string, boolean>();
  const present = new Map<string, boolean>();
  const inside = (p: string): boolean => p === realRoot || p.startsWith(realRoot + path.sep);
  return {
    readText(abs) {
      const hit = cache.get(abs);
      if (hit) return hit;
      const r = read(abs);
      cache.set(abs, r);
      return r;
    },
    isDir(abs) {
      let d = dirs.get(abs);
      if (d === undefined) {
        d = fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory() ?? false;
        dirs.set(abs, d);
      }
      return d;
    },
    exists(abs) {
      let e = present.get(abs);
      if (e === undefined) {
        e = fs.existsSync(abs);
        present.set(abs, e);
      }
      return e;
    },
  };
  function read(abs: string): ReadResult {
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(abs, { throwIfNoEntry: false });
    } catch (e) {
      return { error: `cannot read: ${(e as Error).message}` };
    }
    if (!st) return { missing: true };
    if (st.isSymbolicLink()) {
      const real = safeRealpath(abs);
      if (!real) return { error: 'a symlink that points nowhere (or into a loop): not followed' };
      if (!inside(real)) return { error: 'a symlink that points outside the scanned root: not followed' };
      try {
        st = fs.statSync(real);
      } catch (e) {
        return { error: `cannot read: ${(e as Error).message}` };
      }
    }
    if (st.isDirectory()) return { error: 'a directory, not a file' };
    if (!st.isFile()) return { error: 'not a regular file' };
    if (st.size > maxBytes) return { error: `${st.size} bytes, over the ${maxBytes}-byte limit: not analysed` };
    let buf: Buffer;
    try {
      buf = fs.readFileSync(abs);
    } catch (e) {
      return { error: `cannot read: ${(e as Error).message}` };
    }
    return decode(buf);
  }
}

export function decode(buf: Buffer): ReadResult {
  if (buf.includes(0)) return { error: 'a binary file (it contains NUL bytes): not analysed' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return { error: 'not valid UTF-8 text: not analysed' };
  }
  return { text: stripBom(text).replace(/\r\n/g, '\n') };
}

function safeRealpath(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}
