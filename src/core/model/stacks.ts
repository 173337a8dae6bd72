/**
 * Which compose stacks, services and images are the production runtime (see docs/adr/0001-production-stack.md).
 * Development stacks and dev-only services are analysed too, but the rules marked `stacks: 'production'` (hardening
 * and the production build recipe) read the production view of the project only.
 */
import * as path from 'node:path';
import { get, type PMap } from '../parse/compose.js';
import type { Service } from './service.js';
import type { Runtime } from './runtime.js';
import type { ImageUse, Project } from './project.js';
import { normalizePath } from './image.js';
import type { SourceReader } from '../files.js';

/** A compose stack as analysed: its files (base first), whether it was judged as production, and why. */
export interface StackInfo {
  files: string[];
  production: boolean;
  reason: string;
}

/** Something analysed without the production-only rules, or not analysed at all, and why (for the summary). */
export interface LeftOut {
  what: string;
  why: string;
  /** The service it is about (an env_file): named in the statement only when the service is in scope. */
  service?: Service;
}

/**
 * An override that only adds volumes to services the base defines (an opt-in overlay: a data folder, a source
 * mount for debugging): not a production stack of its own.
 */
export function onlyAddsVolumes(fragment: PMap, base: PMap): boolean {
  const baseServices = get(base, 'services');
  for (const [key, e] of fragment.entries) {
    if (key === 'volumes' || key === 'version' || key === 'name' || key.startsWith('x-')) continue;
    if (key !== 'services' || e.value.kind !== 'map') return false;
    for (const [name, svc] of e.value.entries) {
      if (svc.value.kind !== 'map' || baseServices?.kind !== 'map' || !baseServices.entries.has(name)) return false;
      for (const k of svc.value.entries.keys()) if (k !== 'volumes') return false;
    }
  }
  return true;
}

/**
 * Dev servers: auto-reload on code changes (`--reload`), and the frameworks' own development servers, which their
 * documentation says never to run in production: Django's `runserver`, `flask run --debug`, `fastapi dev`.
 */
export function devServer(rt: Runtime): { what: string; framework: boolean } | undefined {
  const all = rt.commands.map((c) => c.words.map((w) => w.text ?? ''));
  for (const t of all) {
    const found = devServerIn(t);
    if (!found) continue;
    // The same server started without the dev flag elsewhere in the script (`if [ "$ENV" = dev ]; then … --reload;
    // else …; fi`): which one runs is configuration, not certainly development.
    const key = serverKey(t);
    if (key && all.some((u) => u !== t && serverKey(u) === key && !devServerIn(u))) continue;
    return found;
  }
  return undefined;
}

/** The program a command starts, past `uv run [options]`, `python -m` and the like (`uvicorn`, `manage.py`). */
function serverKey(t: readonly string[]): string | undefined {
  let i = 0;
  const skip = new Set(['uv', 'run', 'exec', '--no-sync', '--frozen', '--locked', '-m', '--module']);
  while (i < t.length && (skip.has(path.posix.basename(t[i]!)) || /^python[\d.]*$/.test(path.posix.basename(t[i]!)))) i++;
  return t[i] === undefined ? undefined : path.posix.basename(t[i]!);
}

/** A dev server in the words of one command. */
function devServerIn(t: readonly string[]): { what: string; framework: boolean } | undefined {
  const after = (tool: string, sub: string): boolean => t.some((w, i) => w === sub && t.slice(0, i).some((x) => path.posix.basename(x) === tool));
  if (t.includes('runserver') && t.some((w) => /(^|\/)manage\.py$/.test(w) || path.posix.basename(w) === 'django-admin')) return { what: 'Django\'s `runserver`', framework: true };
  if (after('flask', 'run') && t.includes('--debug')) return { what: '`flask run --debug`', framework: true };
  if (after('fastapi', 'dev')) return { what: '`fastapi dev`', framework: true };
  if (t.includes('runserver')) return { what: '`runserver`', framework: false };
  if (t.some((w) => w === '--reload' || w.startsWith('--reload='))) return { what: '`--reload`', framework: false };
  return undefined;
}

/**
 * A dev server the service's own `command` names, read as words (inside a `sh -c "…"` string too), whether or not
 * the container runs it (an entrypoint script may ignore its arguments): what the author wrote it for.
 */
function declaredDevServer(service: Service): { what: string; framework: boolean } | undefined {
  if (!service.command) return undefined;
  const text = service.command.words.map((w) => w.text ?? '').join(' ');
  for (const part of text.split(/&&|\|\||;|\n/)) {
    const found = devServerIn(part.split(/[\s"']+/).filter(Boolean));
    if (found) return found;
  }
  return undefined;
}

/** A bind mount of a repository folder over the runtime's working directory (or a folder in or above it). */
function sourceMount(service: Service, rt: Runtime | undefined, root: string, reader: SourceReader): string | undefined {
  const workdir = normalizePath(rt?.workdir ?? '/');
  for (const m of service.volumes) {
    if (m.type !== 'bind' || !m.source) continue;
    const rel = path.relative(root, m.source);
    if (rel.startsWith('..') || path.isAbsolute(rel) || !reader.isDir(m.source)) continue;
    const t = normalizePath(m.target);
    const covers = workdir === '/' || t === workdir || workdir.startsWith(`${t}/`) || t.startsWith(`${workdir}/`);
    if (covers) return `${rel.split(path.sep).join('/') || '.'}:${m.target}`;
  }
  return undefined;
}

/** Compose profiles that are tests, benchmarks or development, not what production starts. */
const TEST_PROFILES = new Set(['test', 'tests', 'testing', 'e2e', 'benchmark', 'benchmarks', 'bench', 'perf', 'load', 'loadtest', 'load-test', 'resilience', 'chaos', 'dast', 'dev', 'debug', 'development']);

/** Commands that only keep a container up, so that one can work in it: `sleep infinity`, `tail -f FILE`. */
export const SLEEPS = [/^sleep (infinity|inf)$/, /^tail (-f|-F|--follow(=\S+)?)( -\S+)* \S+$/];

/**
 * Why a service only exists for development (undefined when it does not): a `develop:` section (compose watch), a
 * container that sleeps forever with the source bind-mounted (a shell to work in), or a reloading dev server run
 * over the bind-mounted source.
 */
export function developmentService(service: Service, rt: Runtime | undefined, root: string, reader: SourceReader): string | undefined {
  // (A `develop:` that only comes in through `extends` is the base's: the service itself is what `up` runs.)
  const develop = service.node.entries.get('develop');
  if (develop && develop.keyLoc.file === service.loc.file && develop.keyLoc.line > service.loc.line && develop.keyLoc.line <= service.node.loc.endLine) return 'it has a `develop:` section (compose watch)';
  // Only started under test profiles (`profiles: [testing]`, `[benchmark]`): `docker compose up` leaves it out.
  const profiles = service.node.entries.get('profiles')?.value;
  if (profiles?.kind === 'seq' && profiles.items.length > 0) {
    const names = profiles.items.map((i) => (i.kind === 'scalar' ? String(i.value ?? '') : ''));
    if (names.every((n) => TEST_PROFILES.has(n.toLowerCase()))) return `it only starts under the ${names.map((n) => `\`${n}\``).join(', ')} profile${names.length > 1 ? 's' : ''} (tests, not the production runtime)`;
  }
  const server = (rt && devServer(rt)) ?? declaredDevServer(service);
  if (server?.framework) return `it runs the framework's development server (${server.what}), never a production one`;
  const mount = sourceMount(service, rt, root, reader);
  if (!mount || !rt) return undefined;
  const sleeps = rt.commands.some((c) => SLEEPS.some((re) => re.test(c.words.map((w) => w.text ?? '').join(' '))));
  if (sleeps) return `it only stays up with the source bind-mounted (${mount}): a development shell`;
  // The source mounted over the code with the image's venv kept in an anonymous volume under it: the working copy
  // runs against the image's dependencies, the classic development setup.
  const venv = service.volumes.find((m) => m.type === 'volume' && !m.source && /(^|\/)\.?venv$/.test(m.target));
  if (venv) return `it bind-mounts the source (${mount}) and keeps the image's venv in an anonymous volume (${venv.target}): a development setup`;
  if (server) return `it runs a dev server (${server.what}) over the bind-mounted source (${mount})`;
  return undefined;
}

/** The repository folders a service bind-mounts writable (absolute): a working copy shared with the host. */
function sourceFolders(service: Service, root: string, reader: SourceReader): Set<string> {
  const out = new Set<string>();
  for (const m of service.volumes) {
    if (m.type !== 'bind' || !m.source || m.readOnly) continue;
    const rel = path.relative(root, m.source);
    if (!rel.startsWith('..') && !path.isAbsolute(rel) && reader.isDir(m.source)) out.add(m.source);
  }
  return out;
}

/**
 * Services of one stack that join its development services: a celery worker or a migration job that bind-mounts the
 * same source folder as a service that runs a dev server is part of that development setup. Returns why, per service.
 */
export function developmentPeers(
  entries: readonly { service: Service; development?: string }[],
  root: string,
  reader: SourceReader,
): Map<Service, string> {
  const out = new Map<Service, string>();
  const dev = entries.filter((e) => e.development !== undefined).map((e) => ({ e, src: sourceFolders(e.service, root, reader) }));
  if (!dev.length) return out;
  for (const e of entries) {
    if (e.development !== undefined) continue;
    const mine = sourceFolders(e.service, root, reader);
    const peer = dev.find((d) => [...d.src].some((f) => mine.has(f)));
    if (!peer) continue;
    const shown = path.relative(root, [...peer.src].find((f) => mine.has(f))!).split(path.sep).join('/') || '.';
    out.set(e.service, `it bind-mounts the source (${shown}) that service "${peer.e.service.name}" runs in development (${peer.e.development})`);
  }
  return out;
}

/** `org/app:1.2`, `docker.io/org/app` → `org/app` (the repository part of an image reference). */
export function imageRepository(ref: string): string {
  const noDigest = ref.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const name = colon > slash ? noDigest.slice(0, colon) : noDigest;
  return name.replace(/^(docker\.io\/)?(library\/)?/, '');
}

/** The FROM references of a Dockerfile's text (cheap: no parse), for finding the images it builds upon. */
export function fromRefs(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*([^\s]+)/gim)) out.push(m[1]!);
  return out;
}

/**
 * The project as the production-only rules see it: runtimes that are the production runtime, the images they run
 * (and the images built only to be another Dockerfile's base, whose build still ends up in production), and the
 * services of production stacks.
 */
export function productionView(project: Project): Project {
  const judged = (rt: Runtime): boolean => rt.development === undefined && rt.baseImage === undefined;
  const imageUses: ImageUse[] = [];
  for (const use of project.imageUses) {
    if (!use.runtimes.some((rt) => judged(rt) || (rt.development === undefined && rt.baseImage !== undefined))) continue;
    imageUses.push(use.runtimes.every(judged) ? use : { ...use, runtimes: use.runtimes.filter(judged) });
  }
  return {
    ...project,
    runtimes: project.runtimes.filter(judged),
    imageUses,
    services: project.services.filter((s) => s.development === undefined && (!s.runtime || judged(s.runtime))),
  };
}
