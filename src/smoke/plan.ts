/** A smoke target → the docker build and run arguments, as production would run it. Pure: no docker calls here. */
import * as path from 'node:path';
import type { Project } from '../core/model/project.js';
import type { Runtime } from '../core/model/runtime.js';
import type { Service, Mount } from '../core/model/service.js';
import type { EngineCaps } from './docker.js';
import { inScope } from '../core/rules/_helpers.js';
import { shellWords } from '../core/parse/shell.js';
import { get, scalarString } from '../core/parse/compose.js';

export interface SmokeTarget {
  name: string;
  service?: Service;
  runtime?: Runtime;
  /** `inline`: the text of a compose `dockerfile_inline`, written to a temporary `dockerfile` for the build. */
  build?: { context: string; dockerfile: string; target?: string; args: Map<string, string>; inline?: string };
  image?: string;
  /** A compose service: the project compose runs it in (absolute files, merged in order, and project directory). */
  compose?: { files: string[]; projectDir: string };
}

export interface RunPlan {
  /** Named volumes to create (temporary, labelled) before the run. */
  volumes: { key: string; name: string }[];
  /** `docker run` arguments between `run` and the image. */
  flags: string[];
  /** Arguments after the image (entrypoint rest + command). */
  args: string[];
  /** Paths that may appear in `docker diff` (tmpfs and volume targets). */
  mountPoints: string[];
  /** Environment variable names passed (values may be secrets: never shown). */
  envKeys: string[];
}

/** Targets with the same key build the same image: context, Dockerfile, target, args and inline text. */
export function buildKey(t: SmokeTarget): string {
  const b = t.build;
  if (!b) return `image:${t.image ?? ''}`;
  return JSON.stringify([b.context, b.inline === undefined ? b.dockerfile : null, b.target ?? null, [...b.args].sort(([a], [c]) => (a < c ? -1 : a > c ? 1 : 0)), b.inline ?? null]);
}

export function buildArgs(t: SmokeTarget, tag: string, label: string, caps?: EngineCaps): string[] | undefined {
  if (!t.build) return undefined;
  // --force-rm: the classic builder otherwise leaves the container of a failed step behind.
  const args = ['build', '--force-rm', '--label', label, '-t', tag, '-f', t.build.dockerfile];
  // BuildKit runs RUN steps on the default bridge network; an engine without one (dockerd --bridge=none) needs host.
  if (caps?.buildkit && !caps.bridge) args.push('--network', 'host');
  if (t.build.target) args.push('--target', t.build.target);
  for (const [k, v] of t.build.args) args.push('--build-arg', `${k}=${v}`);
  args.push(t.build.context);
  return args;
}

export function runPlan(t: SmokeTarget, o: { name: string; label: string; network: string; readOnly: boolean; runId: string }): RunPlan {
  const s = t.service;
  const flags = ['-d', '--name', o.name, '--label', o.label, '--network', o.network];
  if (o.readOnly) flags.push('--read-only');
  const volumes: RunPlan['volumes'] = [];
  const mountPoints: string[] = [];
  for (const m of s?.tmpfs ?? []) {
    mountPoints.push(m.target);
    flags.push('--tmpfs', tmpfsSpec(m));
  }
  for (const v of s?.volumes ?? []) {
    mountPoints.push(v.target);
    if (v.type === 'bind' && v.source) flags.push('--mount', `type=bind,source=${v.source},target=${v.target}${v.readOnly ? ',readonly' : ''}`);
    else if (v.source) {
      const name = `ro-uv-check-${o.runId}-${volumes.length}`;
      volumes.push({ key: v.source, name });
      flags.push('--mount', `type=volume,source=${name},target=${v.target}${v.readOnly ? ',readonly' : ''}`);
    } else flags.push('--mount', `type=volume,target=${v.target}${v.readOnly ? ',readonly' : ''}`);
  }
  if (s?.user) flags.push('--user', s.user.value);
  if (s?.workingDir) flags.push('--workdir', s.workingDir.value);
  const memory = memoryLimit(s);
  if (memory) flags.push('--memory', memory);
  for (const c of s?.capDrop ?? []) flags.push('--cap-drop', c.value);
  for (const c of capAdd(s)) flags.push('--cap-add', c);
  for (const so of s?.securityOpt ?? []) flags.push('--security-opt', so.value);
  const envKeys: string[] = [];
  for (const [k, v] of t.runtime?.env ?? []) {
    if (v.source !== 'compose' && v.source !== 'env_file') continue;
    flags.push('--env', `${k}=${v.value}`);
    envKeys.push(k);
  }
  flags.push(...healthFlags(s));
  const ep = s?.entrypoint ? argv(s.entrypoint) : undefined;
  const cmd = s?.command ? argv(s.command) : [];
  let args = cmd;
  if (ep && ep.length) {
    flags.push('--entrypoint', ep[0]!);
    args = [...ep.slice(1), ...cmd];
  } else if (ep) flags.push('--entrypoint', '');
  return { volumes, flags, args, mountPoints, envKeys };
}

/**
 * compose `healthcheck` as `docker run` flags (it replaces the image's HEALTHCHECK). `docker run` takes the test as
 * one shell command: a `CMD` list is quoted into one.
 */
function healthFlags(s: Service | undefined): string[] {
  if (s?.healthcheck === null) return ['--no-healthcheck'];
  if (!s?.healthcheck) return [];
  const c = s.healthcheck;
  const cmd = c.form === 'list' ? c.words.map((w) => shellQuote(w.text ?? '')).join(' ') : (c.words[0]?.text ?? '');
  const flags = ['--health-cmd', cmd];
  const node = get(s.node, 'healthcheck');
  for (const [key, flag] of [['interval', '--health-interval'], ['timeout', '--health-timeout'], ['retries', '--health-retries'], ['start_period', '--health-start-period']] as const) {
    const v = scalarString(get(node, key));
    if (v) flags.push(flag, v);
  }
  return flags;
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** compose `mem_limit`, or `deploy.resources.limits.memory`. */
function memoryLimit(s: Service | undefined): string | undefined {
  const direct = s ? scalarString(get(s.node, 'mem_limit')) : undefined;
  const deploy = s ? scalarString(get(get(get(get(s.node, 'deploy'), 'resources'), 'limits'), 'memory')) : undefined;
  const v = direct ?? deploy;
  return v && /^\d+(\.\d+)?[bkmg]?b?$/i.test(v) ? v.replace(/b$/i, '') || v : undefined;
}

/** The services a compose service starts first: `depends_on` (list or map) and `links`. */
export function dependsOn(s: Service | undefined): string[] {
  if (!s) return [];
  const out: string[] = [];
  const d = get(s.node, 'depends_on');
  if (d?.kind === 'map') out.push(...d.entries.keys());
  else if (d?.kind === 'seq') out.push(...d.items.flatMap((i) => (i.kind === 'scalar' && i.value !== null ? [String(i.value)] : [])));
  const links = get(s.node, 'links');
  if (links?.kind === 'seq') out.push(...links.items.flatMap((i) => (i.kind === 'scalar' && i.value !== null ? [String(i.value).split(':')[0]!] : [])));
  return [...new Set(out)];
}

function capAdd(s: Service | undefined): string[] {
  const n = s?.node.entries.get('cap_add')?.value;
  if (!n) return [];
  const items = n.kind === 'seq' ? n.items : [n];
  return items.flatMap((i) => (i.kind === 'scalar' && i.value !== null ? [String(i.value)] : []));
}

function tmpfsSpec(m: Mount): string {
  const opts: string[] = [];
  if (m.uid !== undefined) opts.push(`uid=${m.uid}`);
  if (m.gid !== undefined) opts.push(`gid=${m.gid}`);
  if (m.mode !== undefined) opts.push(`mode=${m.mode.toString(8)}`);
  return opts.length ? `${m.target}:${opts.join(',')}` : m.target;
}

/** A compose command as an argv: lists as they are, strings split like compose does (shell-word splitting). */
function argv(c: NonNullable<Service['command']>): string[] {
  if (c.form === 'list') return c.words.map((w) => w.text ?? '');
  const text = c.words[0]?.text ?? '';
  return shellWords(text) ?? text.split(/\s+/).filter(Boolean);
}

/** The targets a smoke test runs: in-scope compose services (or the one named), else an explicit Dockerfile/image. */
export function smokeTargets(project: Project, o: { service?: string; dockerfile?: string; context?: string; target?: string; buildArgs?: Map<string, string>; image?: string }): { targets: SmokeTarget[]; error?: string } {
  if (o.image && !o.service) return { targets: [{ name: o.image, image: o.image }] };
  if (o.dockerfile || o.context) {
    const context = path.resolve(project.root, o.context ?? path.dirname(o.dockerfile ?? 'Dockerfile'));
    const dockerfile = path.resolve(o.dockerfile ? project.root : context, o.dockerfile ?? 'Dockerfile');
    const build: NonNullable<SmokeTarget['build']> = { context, dockerfile, args: o.buildArgs ?? new Map() };
    if (o.target) build.target = o.target;
    const rel = path.relative(project.root, dockerfile).split(path.sep).join('/');
    const runtime = project.runtimes.find((r) => !r.service && r.image?.file === rel);
    return { targets: [{ name: rel, build, ...(runtime ? { runtime } : {}) }] };
  }
  // A service in several stacks (production and development ones) is tested once, as the production stack has it; a
  // service that only exists for development (docs/adr/0001-production-stack.md) is a target only when named.
  const candidates = project.services.filter((s) => (o.service ? s.service.name === o.service : s.runtime && s.development === undefined && inScope(project, s.runtime)));
  const chosen = new Map<string, (typeof candidates)[number]>();
  for (const s of candidates) {
    const key = `${s.file}\0${s.service.name}`;
    const had = chosen.get(key);
    if (!had || (had.development !== undefined && s.development === undefined)) chosen.set(key, s);
  }
  const services = [...chosen.values()];
  if (o.service && services.length === 0) return { targets: [], error: `smoke-service "${o.service}" is not a service of the compose files found` };
  const targets: SmokeTarget[] = [];
  for (const { service, runtime, compose } of services) {
    const t: SmokeTarget = { name: service.name, service, compose: { files: compose.files.map((f) => path.resolve(project.root, f)), projectDir: compose.projectDir } };
    if (runtime) t.runtime = runtime;
    if (o.image) t.image = o.image;
    else if (service.build && !service.build.remote) {
      t.build = { context: service.build.context, dockerfile: service.build.dockerfile, args: service.build.args };
      if (service.build.target) t.build.target = service.build.target;
      if (service.build.inline) t.build.inline = service.build.inline.value;
    } else if (service.image) t.image = service.image.value;
    else continue;
    targets.push(t);
  }
  return { targets };
}
