/** The users and groups a build creates (`useradd`, `adduser`, `groupadd`, `addgroup`) and USER resolution. */
import type { SimpleCommand } from '../parse/shell.js';
import { basename } from '../parse/shell.js';

export interface Account {
  uid?: number;
  /** Primary group: a gid, or a group name to look up. */
  group?: number | string;
  home?: string;
}
export interface Accounts {
  users: Map<string, Account>;
  groups: Map<string, number>;
}

export function emptyAccounts(): Accounts {
  return {
    users: new Map([['root', { uid: 0, group: 0, home: '/root' }]]),
    groups: new Map([['root', 0]]),
  };
}

/** Options (long and short) that take a value, per tool. Values of unknown options are not guessed. */
const USERADD_VALUE = new Set(['-u', '--uid', '-g', '--gid', '-G', '--groups', '-d', '--home-dir', '-s', '--shell', '-c', '--comment', '-k', '--skel', '-K', '--key', '-e', '--expiredate', '-f', '--inactive', '-p', '--password', '-b', '--base-dir', '-Z', '--selinux-user', '-R', '--root', '-P', '--prefix']);
const ADDUSER_VALUE = new Set(['-u', '--uid', '--gid', '-G', '--ingroup', '-h', '--home', '-s', '--shell', '-g', '--gecos', '--comment', '-k', '--conf', '--firstuid', '--lastuid', '--add_extra_groups', '--add-extra-groups']);
const GROUPADD_VALUE = new Set(['-g', '--gid', '-K', '--key', '-p', '--password', '-R', '--root', '-P', '--prefix']);

function splitArgs(words: string[], valued: Set<string>): { opts: Map<string, string>; positional: string[] } {
  const opts = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('--') && w.includes('=')) {
      const eq = w.indexOf('=');
      opts.set(w.slice(0, eq), w.slice(eq + 1));
    } else if (valued.has(w)) {
      opts.set(w, words[i + 1] ?? '');
      i++;
    } else if (/^-[a-zA-Z]$/.test(w) || w.startsWith('--')) opts.set(w, '');
    else if (/^-[a-zA-Z]{2,}$/.test(w)) for (const ch of w.slice(1)) opts.set(`-${ch}`, '');
    else positional.push(w);
  }
  return { opts, positional };
}

const num = (s: string | undefined): number | undefined => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);

export function collectAccounts(commands: readonly SimpleCommand[], acc: Accounts): void {
  for (const c of commands) {
    const words = c.words.map((w) => w.text ?? '');
    const tool = basename(words[0] ?? '');
    const rest = words.slice(1);
    if (tool === 'groupadd' || tool === 'addgroup') {
      const { opts, positional } = splitArgs(rest, GROUPADD_VALUE);
      const gid = num(opts.get('-g') ?? opts.get('--gid'));
      const name = positional[tool === 'addgroup' && positional.length === 2 ? 1 : 0];
      // Debian `addgroup USER GROUP` adds a user to a group; only the one-name form creates a group.
      if (name && positional.length === 1 && gid !== undefined) acc.groups.set(name, gid);
      else if (name && positional.length === 1) acc.groups.set(name, NaN);
    } else if (tool === 'useradd') {
      const { opts, positional } = splitArgs(rest, USERADD_VALUE);
      const name = positional[positional.length - 1];
      if (!name) continue;
      const uid = num(opts.get('-u') ?? opts.get('--uid'));
      const g = opts.get('-g') ?? opts.get('--gid');
      const account: Account = { home: opts.get('-d') ?? opts.get('--home-dir') ?? `/home/${name}` };
      if (uid !== undefined) account.uid = uid;
      if (g !== undefined) account.group = num(g) ?? g;
      else if (opts.has('-N') || opts.has('--no-user-group')) account.group = 100;
      else if (acc.groups.has(name)) account.group = name;
      else if (uid !== undefined) {
        // USERGROUPS_ENAB: a group of the user's name is created, with gid = uid when that gid is free.
        acc.groups.set(name, uid);
        account.group = name;
      }
      acc.users.set(name, account);
    } else if (tool === 'adduser') {
      const { opts, positional } = splitArgs(rest, ADDUSER_VALUE);
      if (positional.length !== 1) continue; // `adduser USER GROUP` adds to a group
      const name = positional[0]!;
      const uid = num(opts.get('-u') ?? opts.get('--uid'));
      const gid = num(opts.get('--gid'));
      const ingroup = opts.get('-G') ?? opts.get('--ingroup');
      const account: Account = { home: opts.get('-h') ?? opts.get('--home') ?? `/home/${name}` };
      if (uid !== undefined) account.uid = uid;
      if (gid !== undefined) account.group = gid;
      else if (ingroup) account.group = ingroup;
      else if (acc.groups.has(name)) account.group = name;
      else if (uid !== undefined) {
        acc.groups.set(name, uid);
        account.group = name;
      }
      acc.users.set(name, account);
    }
  }
}

export interface RuntimeUser {
  /** As written (`appuser`, `1001:1001`, empty for the default). */
  spec: string;
  name?: string;
  uid?: number;
  gid?: number;
  home?: string;
  /** True for root, false for a known non-root user, undefined when it cannot be told. */
  root: boolean | undefined;
}

/** Resolves `USER name[:group]` / `user: "1001:1001"` against the accounts the image creates. */
export function resolveUser(spec: string, acc: Accounts): RuntimeUser {
  const s = spec.trim();
  if (s === '') return { spec: s, name: 'root', uid: 0, gid: 0, home: '/root', root: true };
  const [userPart = '', groupPart] = s.split(':', 2);
  const out: RuntimeUser = { spec: s, root: undefined };
  const uidNum = num(userPart);
  if (uidNum !== undefined) {
    out.uid = uidNum;
    const entry = [...acc.users.entries()].find(([, a]) => a.uid === uidNum);
    if (entry) {
      out.name = entry[0];
      if (entry[1].home) out.home = entry[1].home;
      const g = groupOf(entry[1], acc);
      if (g !== undefined) out.gid = g;
    } else {
      out.gid = 0;
      out.home = '/';
    }
  } else {
    out.name = userPart;
    const a = acc.users.get(userPart);
    if (a) {
      if (a.uid !== undefined) out.uid = a.uid;
      if (a.home) out.home = a.home;
      const g = groupOf(a, acc);
      if (g !== undefined) out.gid = g;
    }
  }
  if (groupPart !== undefined) {
    const g = num(groupPart) ?? acc.groups.get(groupPart);
    if (g !== undefined && !Number.isNaN(g)) out.gid = g;
    else delete out.gid;
  }
  out.root = out.uid === 0 || out.name === 'root' ? true : out.uid !== undefined || out.name !== undefined ? false : undefined;
  return out;
}

function groupOf(a: Account, acc: Accounts): number | undefined {
  if (typeof a.group === 'number') return a.group;
  if (typeof a.group === 'string') {
    const g = acc.groups.get(a.group);
    return g === undefined || Number.isNaN(g) ? undefined : g;
  }
  return undefined;
}

/**
 * The user an external base image runs as when nothing sets USER: `known` with that user, or `unknown` for a
 * third-party image whose default ro-uv-check does not know (it is not claimed to be root).
 * - Official library images (`python`, `debian`, `ubuntu`, `alpine`, …, also through `docker.io/library/` and the
 *   common mirrors), uv's images (`ghcr.io/astral-sh/uv`), distroless without a `nonroot` tag, Bitnami's `python`
 *   and `minideb`, and a few widely used third-party bases (nvidia/cuda, pytorch, tensorflow, conda, tiangolo,
 *   Microsoft dev containers): root. AWS Lambda's base images: unknown (Lambda runs the function as its own user).
 * - Chainguard, distroless `nonroot` tags: `nonroot` (65532). Red Hat UBI and Software Collections language images
 *   (`ubi9/python-312`, `quay.io/sclorg/python-312-c9s`, `centos/python-38-centos7`): uid 1001, gid 0, HOME
 *   /opt/app-root/src. Other Bitnami images (non-root by Bitnami's policy): uid 1001, gid 0. Jupyter docker-stacks:
 *   jovyan (1000:100).
 */
export type BaseImageUser = { known: true; user: RuntimeUser } | { known: false };

const ROOT: RuntimeUser = { spec: '', name: 'root', uid: 0, gid: 0, home: '/root', root: true };
const KNOWN_BASES: readonly [RegExp, RuntimeUser][] = [
  [/^cgr\.dev\/chainguard\//, { spec: '', name: 'nonroot', uid: 65532, gid: 65532, home: '/home/nonroot', root: false }],
  [/^gcr\.io\/distroless\/[^:@]+:(?:[^@]*-)?nonroot(?:-|@|$)/, { spec: '', name: 'nonroot', uid: 65532, gid: 65532, home: '/home/nonroot', root: false }],
  [/^gcr\.io\/distroless\//, ROOT],
  [/^(?:registry\.access\.redhat\.com|registry\.redhat\.io)\/ubi\d+\/(?:python|nodejs|ruby|perl|php)-\d/, { spec: '', name: 'default', uid: 1001, gid: 0, home: '/opt/app-root/src', root: false }],
  [/^(?:quay\.io\/sclorg|centos)\/(?:python|nodejs|ruby|perl|php)-\d/, { spec: '', name: 'default', uid: 1001, gid: 0, home: '/opt/app-root/src', root: false }],
  [/^bitnami\/(?:python|minideb)(?:[:@]|$)/, ROOT],
  [/^bitnami\//, { spec: '', uid: 1001, gid: 0, home: '/', root: false }],
  [/^(?:quay\.io\/)?jupyter\//, { spec: '', name: 'jovyan', uid: 1000, gid: 100, home: '/home/jovyan', root: false }],
  [/^(?:ghcr\.io\/astral-sh\/uv|astral\/uv|nvidia\/cuda|pytorch\/pytorch|tensorflow\/tensorflow)(?:[:@]|$)/, ROOT],
  [/^(?:nvcr\.io\/nvidia\/|continuumio\/|condaforge\/|tiangolo\/|mcr\.microsoft\.com\/(?:vscode\/)?devcontainers\/)/, ROOT],
];

export function baseImageUser(ref: string): BaseImageUser {
  // An unexpanded or empty reference (`FROM ${BASE}` without a default) names no image that can be told.
  if (!ref || ref.includes('$')) return { known: false };
  // AWS Lambda's base images: Lambda runs the function as a user of its own (not root), whatever the image says.
  if (/^public\.ecr\.aws\/lambda\//i.test(ref)) return { known: false };
  const r = ref.toLowerCase().replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  if (r === 'scratch') return { known: true, user: { ...ROOT } };
  for (const [re, user] of KNOWN_BASES) if (re.test(r)) return { known: true, user: { ...user } };
  // A tag that says so (`docker:dind-rootless`, `…:nonroot`) of an image not listed: its user cannot be told.
  if (/nonroot|non-root|rootless/.test(r)) return { known: false };
  // An official library image: one name segment with no registry host, or library/ (also on the common mirrors).
  const name = r.replace(/[:@].*$/, '');
  const library = name.replace(/^(?:mirror\.gcr\.io\/|public\.ecr\.aws\/docker\/)?library\//, '');
  if (!library.includes('/') && /^[a-z0-9][a-z0-9._-]*$/.test(library)) return { known: true, user: { ...ROOT } };
  return { known: false };
}
