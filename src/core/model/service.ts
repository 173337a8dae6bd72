/** A compose service, read from the merged (base + override) tree, in the vocabulary of the rule catalogue. */
import * as path from 'node:path';
import type { Loc, Located } from '../types.js';
import type { PMap, PNode } from '../parse/compose.js';
import { get, entry, scalarString, listToMap } from '../parse/compose.js';
import type { Word } from '../parse/shell.js';

export interface Mount {
  type: 'tmpfs' | 'volume' | 'bind';
  target: string;
  source?: string;
  readOnly: boolean;
  uid?: number;
  gid?: number;
  /** Octal permission bits, when given. */
  mode?: number;
  loc: Loc;
}

export interface ServiceCommand {
  form: 'list' | 'string';
  words: Word[];
  loc: Loc;
}

export interface Service {
  name: string;
  loc: Loc;
  node: PMap;
  /** Folder of the compose file that defines the service (absolute). */
  dir: string;
  build?: {
    context: string;
    dockerfile: string;
    target?: string;
    args: Map<string, string>;
    loc: Loc;
    remote: boolean;
    /** No `dockerfile` key: Docker reads `Dockerfile`, else a lower-case `dockerfile`, in the context. */
    defaultName?: boolean;
    /** `dockerfile_inline`: the Dockerfile written in the compose file (it wins over `dockerfile`). */
    inline?: { value: string; loc: Loc; style?: string };
  };
  image?: Located<string>;
  readOnly?: Located<boolean>;
  user?: Located<string>;
  /** `working_dir`: where the command starts, instead of the image's WORKDIR. */
  workingDir?: Located<string>;
  capDrop: Located<string>[];
  securityOpt: Located<string>[];
  tmpfs: Mount[];
  volumes: Mount[];
  environment: Map<string, { value: string | null; loc: Loc }>;
  envFiles: { path: string; loc: Loc; required: boolean }[];
  entrypoint?: ServiceCommand;
  command?: ServiceCommand;
  /**
   * `healthcheck.test`, which replaces the image's HEALTHCHECK: a list for `["CMD", …]`, a string for
   * `["CMD-SHELL", "…"]` or a plain string (run by `/bin/sh -c`); null when disabled (`["NONE"]`, `disable: true`).
   */
  healthcheck?: ServiceCommand | null;
  /**
   * A container meant to run once and exit (a migration or seed job): another service of the project waits for it
   * with `depends_on: {NAME: {condition: service_completed_successfully}}`, or it sets `restart: "no"` itself.
   */
  oneShot?: boolean;
}

const truthyYaml = (n: PNode | undefined): boolean | undefined => {
  if (!n || n.kind !== 'scalar') return undefined;
  if (typeof n.value === 'boolean') return n.value;
  const s = String(n.value).toLowerCase();
  return s === 'true' ? true : s === 'false' ? false : undefined;
};

/** `lookup`: the project's `.env` variables, which also give a valueless `environment` entry its value. */
/** A build context that is a URL or a git repository, not a folder. */
export const REMOTE_CONTEXT = /^[a-z]+:\/\/|^git@|\.git(#.*)?$/;

export function readServices(root: PMap, dir: string, lookup?: (name: string) => string | undefined): Service[] {
  const services = get(root, 'services');
  if (!services || services.kind !== 'map') return [];
  const out: Service[] = [];
  const completed = new Set<string>();
  for (const [name, e] of services.entries) {
    if (e.value.kind !== 'map') continue;
    out.push(readService(name, e.keyLoc, e.value, dir, lookup));
    const deps = get(e.value, 'depends_on');
    if (deps?.kind === 'map') for (const [dep, d] of deps.entries) if (scalarString(get(d.value, 'condition')) === 'service_completed_successfully') completed.add(dep);
  }
  for (const s of out) {
    const restart = get(s.node, 'restart');
    if (completed.has(s.name) || (restart?.kind === 'scalar' && (restart.value === 'no' || restart.value === false))) s.oneShot = true;
  }
  return out;
}

function strings(n: PNode | undefined): Located<string>[] {
  if (!n) return [];
  const items = n.kind === 'seq' ? n.items : [n];
  return items.flatMap((i) => {
    const s = scalarString(i);
    return s === undefined ? [] : [{ value: s, loc: i.loc }];
  });
}

function readService(name: string, loc: Loc, node: PMap, dir: string, lookup?: (name: string) => string | undefined): Service {
  const s: Service = { name, loc, node, dir, capDrop: [], securityOpt: [], tmpfs: [], volumes: [], environment: new Map(), envFiles: [] };
  const build = get(node, 'build');
  if (build) {
    const ctxRaw = build.kind === 'map' ? scalarString(get(build, 'context')) ?? '.' : scalarString(build) ?? '.';
    const remote = REMOTE_CONTEXT.test(ctxRaw);
    const context = remote ? ctxRaw : path.resolve(dir, ctxRaw);
    const df = build.kind === 'map' ? scalarString(get(build, 'dockerfile')) : undefined;
    const args = new Map<string, string>();
    const argsNode = build.kind === 'map' ? get(build, 'args') : undefined;
    if (argsNode) {
      const m = listToMap(argsNode);
      // An arg without a value takes it from the .env (or the shell): when neither has it, the Dockerfile's default holds.
      if (m.kind === 'map') for (const [k, e] of m.entries) {
        const v = scalarString(e.value) ?? (e.value.kind === 'scalar' && e.value.value === null ? lookup?.(k) : undefined);
        if (v !== undefined) args.set(k, v);
      }
    }
    s.build = { context, dockerfile: remote ? '' : path.resolve(context, df ?? 'Dockerfile'), args, loc: entry(node, 'build')!.keyLoc, remote, ...(df === undefined ? { defaultName: true } : {}) };
    const target = build.kind === 'map' ? scalarString(get(build, 'target')) : undefined;
    if (target) s.build.target = target;
    const inline = build.kind === 'map' ? get(build, 'dockerfile_inline') : undefined;
    if (inline?.kind === 'scalar' && typeof inline.value === 'string') s.build.inline = { value: inline.value, loc: inline.loc, ...(inline.style ? { style: inline.style } : {}) };
  }
  const image = get(node, 'image');
  if (image && scalarString(image)) s.image = { value: scalarString(image)!, loc: image.loc };
  const ro = entry(node, 'read_only');
  if (ro) {
    const v = truthyYaml(ro.value);
    if (v !== undefined) s.readOnly = { value: v, loc: ro.keyLoc };
  }
  const user = get(node, 'user');
  if (user && scalarString(user) !== undefined) s.user = { value: scalarString(user)!, loc: user.loc };
  const workingDir = scalarString(get(node, 'working_dir'));
  if (workingDir) s.workingDir = { value: workingDir, loc: get(node, 'working_dir')!.loc };
  s.capDrop = strings(get(node, 'cap_drop'));
  s.securityOpt = strings(get(node, 'security_opt'));
  for (const t of strings(get(node, 'tmpfs'))) s.tmpfs.push(parseTmpfs(t.value, t.loc));
  const vols = get(node, 'volumes');
  for (const v of vols?.kind === 'seq' ? vols.items : []) {
    const m = parseVolume(v, dir);
    if (m) (m.type === 'tmpfs' ? s.tmpfs : s.volumes).push(m);
  }
  const env = get(node, 'environment');
  if (env) {
    const m = listToMap(env);
    // `- NAME` / `NAME:` passes the variable through from the shell or the `.env` file: its value here when .env has it.
    if (m.kind === 'map') for (const [k, e] of m.entries) s.environment.set(k, { value: e.value.kind === 'scalar' && e.value.value !== null ? String(e.value.value) : (lookup?.(k) ?? null), loc: e.keyLoc });
  }
  const envFile = get(node, 'env_file');
  for (const f of envFile?.kind === 'seq' ? envFile.items : envFile ? [envFile] : []) {
    const p = f.kind === 'map' ? scalarString(get(f, 'path')) : scalarString(f);
    if (!p) continue;
    const required = f.kind === 'map' ? get(f, 'required')?.kind !== 'scalar' || (get(f, 'required') as { value: unknown }).value !== false : true;
    s.envFiles.push({ path: path.resolve(dir, p), loc: f.loc, required });
  }
  const ep = get(node, 'entrypoint');
  if (ep) s.entrypoint = readCommand(ep);
  const cmd = get(node, 'command');
  if (cmd) s.command = readCommand(cmd);
  const hc = get(node, 'healthcheck');
  if (hc?.kind === 'map') {
    const test = get(hc, 'test');
    const first = test?.kind === 'seq' ? scalarString(test.items[0]) : undefined;
    if (truthyYaml(get(hc, 'disable')) === true || first === 'NONE') s.healthcheck = null;
    else if (test?.kind === 'scalar') s.healthcheck = readCommand(test);
    else if (test?.kind === 'seq' && first === 'CMD-SHELL' && test.items[1]) s.healthcheck = readCommand(test.items[1]);
    else if (test?.kind === 'seq' && first === 'CMD') s.healthcheck = readCommand({ ...test, items: test.items.slice(1) });
  }
  return s;
}

function readCommand(n: PNode): ServiceCommand {
  if (n.kind === 'seq') {
    const words = n.items.map((i) => ({ ...scalarWord(i, false), form: 'list' as const, quoted: i.kind === 'scalar' && (i.style === 'QUOTE_DOUBLE' || i.style === 'QUOTE_SINGLE') }));
    return { form: 'list', words, loc: n.loc };
  }
  // A string command: positioned where its text starts (after the opening quote), split like a shell would.
  return { form: 'string', words: [scalarWord(n, true)], loc: n.loc };
}

const NOT_VERBATIM =
  'the YAML string is written differently from its value (an escape such as `\\"` or `\'\'`, a `$$` or `${VARIABLE}`, or a line break), so a column inside it is not the same column in the file';

/**
 * A scalar as a word. A block scalar's text starts on the line after its `|`/`>` header; a literal block's later
 * lines lost the block's indentation (`indent`; a folded block's lines do not map one to one). With `skipQuote`, a
 * quoted scalar's text starts after its quote.
 */
function scalarWord(n: PNode, skipQuote: boolean): Word {
  const text = scalarString(n) ?? '';
  const w: Word = { text, raw: text, loc: n.loc };
  if (n.kind !== 'scalar') return w;
  if (n.exactFor !== undefined) w.inexact = { exactFor: n.exactFor, reason: NOT_VERBATIM };
  if (skipQuote) w.quoted = false; // `loc` is already past the quote
  if (n.content) {
    w.loc = { ...n.loc, line: n.content.line, column: n.content.column };
    if (n.style === 'BLOCK_LITERAL') w.indent = n.content.column - 1;
  } else if (skipQuote && (n.style === 'QUOTE_DOUBLE' || n.style === 'QUOTE_SINGLE')) w.loc = { ...n.loc, column: n.loc.column + 1 };
  return w;
}

/** `"/path:uid=1001,gid=1001,mode=1777,size=64m"` */
export function parseTmpfs(spec: string, loc: Loc): Mount {
  const colon = spec.indexOf(':');
  const target = colon < 0 ? spec : spec.slice(0, colon);
  const m: Mount = { type: 'tmpfs', target: target.replace(/\/+$/, '') || '/', readOnly: false, loc };
  if (colon >= 0) applyTmpfsOptions(m, spec.slice(colon + 1).split(','));
  return m;
}

function applyTmpfsOptions(m: Mount, opts: string[]): void {
  for (const o of opts) {
    const [k = '', v = ''] = o.split('=', 2);
    if (k === 'uid' && /^\d+$/.test(v)) m.uid = Number(v);
    else if (k === 'gid' && /^\d+$/.test(v)) m.gid = Number(v);
    else if (k === 'mode' && /^[0-7]+$/.test(v)) m.mode = parseInt(v, 8);
    else if (k === 'ro') m.readOnly = true;
  }
}

function parseVolume(n: PNode, dir: string): Mount | undefined {
  if (n.kind === 'map') {
    const type = (scalarString(get(n, 'type')) ?? 'volume') as Mount['type'];
    const target = scalarString(get(n, 'target'));
    if (!target) return undefined;
    const m: Mount = { type: type === 'bind' || type === 'tmpfs' ? type : 'volume', target: target.replace(/\/+$/, '') || '/', readOnly: truthyYaml(get(n, 'read_only')) === true, loc: n.loc };
    const src = scalarString(get(n, 'source'));
    if (src) m.source = m.type === 'bind' ? path.resolve(dir, src) : src;
    const tm = get(get(n, 'tmpfs'), 'mode');
    if (tm && tm.kind === 'scalar' && tm.value !== null) {
      const s = String(tm.value);
      if (/^0?o?[0-7]+$/.test(s)) m.mode = parseInt(s.replace(/^0o/, ''), 8);
    }
    return m;
  }
  const spec = scalarString(n);
  if (!spec) return undefined;
  const parts = spec.split(':');
  if (parts.length === 1) return { type: 'volume', target: parts[0]!, readOnly: false, loc: n.loc };
  const [src = '', target = '', mode = ''] = parts;
  const bind = /^[./~]/.test(src);
  const m: Mount = { type: bind ? 'bind' : 'volume', target: target.replace(/\/+$/, '') || '/', source: bind ? path.resolve(dir, src) : src, readOnly: mode.split(',').includes('ro'), loc: n.loc };
  return m;
}
