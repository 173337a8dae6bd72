/**
 * compose `extends`: a service takes the configuration of another service (of the same compose file, or of `file`)
 * and merges its own keys over it with the merge rules of override files. Chains are followed; `depends_on` and
 * `volumes_from` are never inherited; relative paths of a service from a file in another folder stay relative to
 * that folder (as `docker compose config` resolves them). A missing base, a cycle or a file outside the scanned root
 * is reported (RO902) and the service keeps its own keys.
 */
import * as path from 'node:path';
import { literal, msg, type Message } from '../message.js';
import type { Loc } from '../types.js';
import { get, mergeNodes, scalarString, type PEntry, type PMap, type PNode, type PScalar } from '../parse/compose.js';
import { REMOTE_CONTEXT } from './service.js';

export interface ExtendsContext {
  /** Absolute scan root. */
  root: string;
  /**
   * The top-level mapping of compose file `file` (repository-relative), read once; null when there is no such file,
   * undefined when it cannot be read or parsed (reported on the file).
   */
  load(file: string): PMap | null | undefined;
  problem(message: string | Message, loc: Loc): void;
}

/**
 * Deeper chains are reported instead of followed: real ones are a few links long, and each link is a frame of the
 * recursion (bases already resolved are reused, so only a chain written base-last gets deep).
 */
export const MAX_EXTENDS_DEPTH = 1000;
const NOT_INHERITED = ['extends', 'depends_on', 'volumes_from'];

/** `doc` (compose file `file`, before overrides are merged) with every service's `extends` applied; `doc` itself when none has one. */
export function resolveExtends(doc: PMap, file: string, ctx: ExtendsContext): PMap {
  const services = get(doc, 'services');
  if (services?.kind !== 'map' || ![...services.entries.values()].some((e) => e.value.kind === 'map' && e.value.entries.has('extends'))) return doc;
  const done = new Map<string, PMap>();

  const resolve = (node: PMap, nodeFile: string, nodeDoc: PMap, chain: string[]): PMap => {
    const ext = node.entries.get('extends');
    if (!ext) return node;
    const own = without(node, ['extends']);
    const ref = readRef(ext.value);
    if (!ref) {
      ctx.problem(literal('`extends` needs the name of the service to extend (`extends: NAME` or `service: NAME`)'), ext.keyLoc);
      return own;
    }
    const baseFile = ref.file === undefined ? nodeFile : besideFile(nodeFile, ref.file);
    if (baseFile === undefined) {
      ctx.problem(msg`\`extends\` names ${ref.file}, outside the scanned root: service "${ref.service}" is not analysed here`, ref.fileLoc ?? ext.value.loc);
      return own;
    }
    const key = `${baseFile}\0${ref.service}`;
    if (chain.includes(key)) {
      // Named from the service whose `extends` closes the circle: `b → c → b` at b's reference.
      const circle = chain.slice(chain.indexOf(key));
      const names = [circle[circle.length - 1]!, ...circle.slice(0, -1), circle[circle.length - 1]!].map((k) => k.split('\0')[1]);
      ctx.problem(msg`\`extends\` goes round in a circle (${names.join(' → ')}): compose refuses this file`, ext.value.loc);
      return own;
    }
    if (chain.length > MAX_EXTENDS_DEPTH) {
      ctx.problem(msg`\`extends\` chain longer than ${MAX_EXTENDS_DEPTH.toLocaleString('en')} services: not followed further`, ext.value.loc);
      return own;
    }
    let base = done.get(key);
    if (!base) {
      const baseDoc = ref.file === undefined ? nodeDoc : ctx.load(baseFile);
      if (baseDoc === null) {
        ctx.problem(msg`\`extends\` names ${ref.file}, which does not exist`, ref.fileLoc ?? ext.value.loc);
        return own;
      }
      if (!baseDoc) return own; // unreadable: reported on the file
      const baseNode = get(get(baseDoc, 'services'), ref.service);
      if (baseNode?.kind !== 'map') {
        ctx.problem(msg`\`extends\`: there is no service "${ref.service}" in ${baseFile}`, ext.value.loc);
        return own;
      }
      base = resolve(baseNode, baseFile, baseDoc, [...chain, key]);
      done.set(key, base);
    }
    let inherited = without(base, NOT_INHERITED);
    if (path.posix.dirname(baseFile) !== path.posix.dirname(nodeFile)) inherited = absolutePaths(inherited, path.join(ctx.root, path.posix.dirname(baseFile)));
    return mergeNodes(inherited, own) as PMap;
  };

  const entries = new Map<string, PEntry>();
  for (const [name, e] of services.entries) {
    entries.set(name, e.value.kind === 'map' ? { ...e, value: resolve(e.value, file, doc, [`${file}\0${name}`]) } : e);
  }
  const out = new Map(doc.entries);
  out.set('services', { ...out.get('services')!, value: { ...services, entries } });
  return { ...doc, entries: out };
}

/** The repository-relative path that `p`, written in `file`, names; undefined when it leaves the scanned root. */
export function besideFile(file: string, p: string): string | undefined {
  const f = path.posix.normalize(path.posix.join(path.posix.dirname(file), p.split(path.sep).join('/')));
  return f.startsWith('../') || path.posix.isAbsolute(f) ? undefined : f;
}

function readRef(n: PNode): { service: string; file?: string; fileLoc?: Loc } | undefined {
  if (n.kind === 'scalar') {
    const s = scalarString(n);
    return s ? { service: s } : undefined;
  }
  const service = scalarString(get(n, 'service'));
  if (!service) return undefined;
  const fileNode = get(n, 'file');
  const file = scalarString(fileNode);
  return file && fileNode ? { service, file, fileLoc: fileNode.loc } : { service };
}

function without(n: PMap, keys: string[]): PMap {
  if (!keys.some((k) => n.entries.has(k))) return n;
  const entries = new Map(n.entries);
  for (const k of keys) entries.delete(k);
  return { ...n, entries };
}

/** The service's relative paths (build context, env_file, bind mount sources) made absolute against `dir`. */
function absolutePaths(n: PMap, dir: string): PMap {
  const entries = new Map(n.entries);
  const abs = (s: PScalar): PScalar => {
    const v = scalarString(s);
    return v === undefined || REMOTE_CONTEXT.test(v) || path.isAbsolute(v) || v.startsWith('~') ? s : { ...s, value: path.resolve(dir, v) };
  };
  const set = (key: string, value: PNode): void => {
    entries.set(key, { ...entries.get(key)!, value });
  };
  const build = entries.get('build')?.value;
  if (build?.kind === 'scalar') set('build', abs(build));
  else if (build?.kind === 'map') {
    const ctxEntry = build.entries.get('context');
    const b = new Map(build.entries);
    if (ctxEntry?.value.kind === 'scalar') b.set('context', { ...ctxEntry, value: abs(ctxEntry.value) });
    else if (!ctxEntry) b.set('context', { key: 'context', keyLoc: build.loc, value: { kind: 'scalar', value: dir, loc: build.loc } });
    set('build', { ...build, entries: b });
  }
  const envFile = entries.get('env_file')?.value;
  const envPath = (i: PNode): PNode => {
    if (i.kind === 'scalar') return abs(i);
    const p = i.kind === 'map' ? i.entries.get('path') : undefined;
    if (i.kind !== 'map' || p?.value.kind !== 'scalar') return i;
    return { ...i, entries: new Map(i.entries).set('path', { ...p, value: abs(p.value) }) };
  };
  if (envFile) set('env_file', envFile.kind === 'seq' ? { ...envFile, items: envFile.items.map(envPath) } : envPath(envFile));
  const volumes = entries.get('volumes')?.value;
  if (volumes?.kind === 'seq') {
    set('volumes', {
      ...volumes,
      items: volumes.items.map((v): PNode => {
        if (v.kind === 'scalar') {
          const s = scalarString(v) ?? '';
          const colon = s.indexOf(':');
          // Short syntax: a relative source (`./data:/data`) is a bind mount from the file's folder.
          return colon > 0 && /^\.\.?(\/|$)/.test(s.slice(0, colon)) ? { ...v, value: `${path.resolve(dir, s.slice(0, colon))}${s.slice(colon)}` } : v;
        }
        const src = v.kind === 'map' ? v.entries.get('source') : undefined;
        if (v.kind !== 'map' || src?.value.kind !== 'scalar' || scalarString(get(v, 'type')) !== 'bind') return v;
        return { ...v, entries: new Map(v.entries).set('source', { ...src, value: abs(src.value) }) };
      }),
    });
  }
  return { ...n, entries };
}
