/**
 * Compose targets through Docker Compose itself: `docker compose` (v2), else `docker-compose` (v1). Compose loads the
 * project's files as discovery merged them (same `-f` files in order, same project directory: `.env`, `include`,
 * `extends`, interpolation, `env_file`), and its `config` output, rewritten for the test (see rewriteConfig), is what
 * runs: under a project name of the run's own, with no host port, the run's label on everything it creates. Compose
 * builds, starts the dependencies (`depends_on` and its conditions, healthchecks, networks, aliases) and applies
 * every key. The targets of one project start together (`up -d T1 T2 …`) and are judged side by side.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireYaml } from '../core/parse/yaml-lib.cjs';
import { dockerBinary, runProgram, removeComposeProject, RUN_LABEL_KEY, SMOKE_IMAGE, type DockerResult, type EngineCaps } from './docker.js';
import type { SmokeTarget } from './plan.js';
import { profileWrites } from './profile.js';
import { Deadline, callFor, observe, waitFor, quote, tail, firstLine, type SmokeOptions, type SmokeResult, type Call } from './run.js';

export interface ComposeCommand {
  /** The program and the arguments before compose's own: [docker, compose] or [docker-compose]. */
  argv: string[];
  version: 1 | 2;
  /** As the report names it: `docker compose 2.29.1`, `docker-compose 1.29.2`. */
  label: string;
}

/** Most targets of one compose project started and judged at once (COMPOSE_PARALLEL_LIMIT, and our own waits). */
export const PARALLEL = 4;

/**
 * The compose command: RO_UV_CHECK_COMPOSE (a compose program, or `none` to run compose services with `docker run`),
 * else the docker CLI's `compose` plugin (v2), else `docker-compose` on PATH (v1, or v2 standalone).
 */
export async function findCompose(signal?: AbortSignal): Promise<ComposeCommand | undefined> {
  const t = { timeoutMs: 20_000, ...(signal ? { signal } : {}) };
  const forced = process.env.RO_UV_CHECK_COMPOSE;
  if (forced === 'none') return undefined;
  const candidates: string[][] = forced ? [[forced]] : [[dockerBinary(), 'compose'], ['docker-compose']];
  // Asked at once (each costs a process start; v1's is Python's), taken in order of preference.
  const answers = candidates.map((argv) => exec(argv, ['version', '--short'], t));
  for (const [i, argv] of candidates.entries()) {
    const r = await answers[i]!;
    const v = r.stdout.trim().replace(/^v/, '');
    if (r.code !== 0 || !/^\d+\./.test(v)) continue;
    const name = argv.length > 1 ? 'docker compose' : path.basename(argv[0]!);
    return { argv, version: v.startsWith('1.') ? 1 : 2, label: `${name} ${v}` };
  }
  return undefined;
}

/** A compose (or docker) program with an argument array, a timeout and cancellation, like every docker call. */
function exec(argv: string[], args: string[], o: { timeoutMs: number; signal?: AbortSignal; env?: NodeJS.ProcessEnv }): Promise<DockerResult> {
  return runProgram(argv[0]!, [...argv.slice(1), ...args], o);
}

type Doc = Record<string, unknown>;
type Svc = Record<string, unknown>;

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `labels` (a map or a `k=v` list) with one more label. */
function withLabel(labels: unknown, key: string, value: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (isMap(labels)) for (const [k, v] of Object.entries(labels)) out[k] = String(v ?? '');
  else if (Array.isArray(labels)) {
    for (const l of labels) {
      const s = String(l);
      const eq = s.indexOf('=');
      out[eq < 0 ? s : s.slice(0, eq)] = eq < 0 ? '' : s.slice(eq + 1);
    }
  }
  out[key] = value;
  return out;
}

/** The services a compose service starts first: `depends_on` (list or map), `links`, `network_mode: service:x`. */
export function depsOf(s: Svc | undefined): string[] {
  if (!s) return [];
  const out: string[] = [];
  const d = s.depends_on;
  if (isMap(d)) out.push(...Object.keys(d));
  else if (Array.isArray(d)) out.push(...d.map(String));
  if (Array.isArray(s.links)) out.push(...s.links.map((l) => String(l).split(':')[0]!));
  const nm = typeof s.network_mode === 'string' ? /^service:(.+)$/.exec(s.network_mode) : null;
  if (nm) out.push(nm[1]!);
  return [...new Set(out)];
}

/** Every service `name` needs, transitively (not itself). */
export function closure(services: Record<string, Svc>, name: string): string[] {
  const seen = new Set<string>();
  const visit = (n: string): void => {
    for (const d of depsOf(services[n])) {
      if (seen.has(d) || d === name) continue;
      seen.add(d);
      visit(d);
    }
  };
  visit(name);
  return [...seen];
}

/** Writable mount points of a merged service: tmpfs and volume targets, short or long syntax. */
export function mountPointsOf(s: Svc | undefined): string[] {
  if (!s) return [];
  const out: string[] = [];
  const tmpfs = s.tmpfs;
  for (const t of Array.isArray(tmpfs) ? tmpfs : tmpfs !== undefined ? [tmpfs] : []) out.push(String(t).split(':')[0]!);
  for (const v of Array.isArray(s.volumes) ? s.volumes : []) {
    if (isMap(v)) {
      if (typeof v.target === 'string') out.push(v.target);
    } else {
      const parts = String(v).split(':');
      out.push(parts.length === 1 ? parts[0]! : parts[1]!);
    }
  }
  return out;
}

function envKeysOf(s: Svc | undefined): string[] {
  const e = s?.environment;
  if (isMap(e)) return Object.keys(e);
  if (Array.isArray(e)) return e.map((x) => String(x).split('=')[0]!);
  return [];
}

export interface Rewrite {
  /** Built services grouped by identical build: the first builds, all run the image it tags. */
  builds: { tag: string; services: string[] }[];
}

/**
 * The merged config, for the test: no host port (two jobs on one runner must not clash), no fixed container_name
 * (same reason), the run's label on every container, network, volume and built image (so the cleanup and the
 * action's post step find them), each distinct build tagged once with a tag of the run (services with the same
 * build share it: one build), `read_only` of the targets as asked, and BuildKit's RUN steps on the host network
 * where the engine has no bridge network. Pure: changes `doc` in place.
 */
export function rewriteConfig(doc: Doc, o: { runId: string; targets: string[]; readOnly: boolean; buildNetworkHost: boolean }): Rewrite {
  const services = (isMap(doc.services) ? doc.services : {}) as Record<string, Svc>;
  const builds = new Map<string, { tag: string; services: string[] }>();
  for (const [name, s] of Object.entries(services)) {
    if (!isMap(s)) continue;
    delete s.ports;
    delete s.container_name;
    s.labels = withLabel(s.labels, RUN_LABEL_KEY, o.runId);
    if (o.targets.includes(name)) s.read_only = o.readOnly;
    if (s.build !== undefined) {
      const b: Record<string, unknown> = isMap(s.build) ? s.build : { context: String(s.build) };
      // No run label on the build: compose v1's builder adds it as a LABEL step of its own, which is never cached
      // (1.5 s on a warm cache). The image is found again by its tag, which is the run's (docker.ts).
      if (o.buildNetworkHost && b.network === undefined) b.network = 'host';
      s.build = b;
      const key = JSON.stringify({ ...b, labels: undefined });
      let group = builds.get(key);
      if (!group) builds.set(key, (group = { tag: `${SMOKE_IMAGE}:${o.runId}-c${builds.size}`, services: [] }));
      group.services.push(name);
      s.image = group.tag;
    }
  }
  for (const kind of ['networks', 'volumes'] as const) {
    const top = (isMap(doc[kind]) ? doc[kind] : {}) as Record<string, unknown>;
    // compose's own default network, declared so that it carries the label too
    if (kind === 'networks' && !('default' in top)) top.default = {};
    for (const [name, def] of Object.entries(top)) {
      const d: Record<string, unknown> = isMap(def) ? def : {};
      if (d.external) continue;
      d.labels = withLabel(d.labels, RUN_LABEL_KEY, o.runId);
      top[name] = d;
    }
    if (Object.keys(top).length) doc[kind] = top;
  }
  return { builds: [...builds.values()] };
}

/** The compose environment: BuildKit where the client has it (v1 builds through the docker CLI for that). */
function composeEnv(c: ComposeCommand, caps: EngineCaps): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, COMPOSE_PARALLEL_LIMIT: String(PARALLEL) };
  if (caps.buildkit) env.DOCKER_BUILDKIT = '1';
  if (c.version === 1) {
    env.COMPOSE_DOCKER_CLI_BUILD = caps.buildkit ? '1' : '0';
    // v1's CLI build runs `docker` from PATH: the same client as every other call of the run.
    const bin = dockerBinary();
    if (path.isAbsolute(bin) && path.basename(bin) === 'docker') env.PATH = `${path.dirname(bin)}${path.delimiter}${env.PATH ?? ''}`;
  }
  return env;
}

export interface ComposeGroup {
  files: string[];
  projectDir: string;
  targets: { t: SmokeTarget; index: number }[];
}

/** The compose project names a run uses (for the action's post step, saved in its state). */
export function projectName(runId: string, group: number, write = false): string {
  return `ro-uv-check-${runId}-${group}${write ? 'w' : ''}`;
}

/**
 * One compose project's targets. `fallback` when compose cannot load the files (e.g. v1 and a key only v2 knows):
 * the caller runs those targets with `docker run` and says why.
 */
export async function composeSmoke(g: ComposeGroup, group: number, c: ComposeCommand, caps: EngineCaps, o: SmokeOptions): Promise<{ results: SmokeResult[] } | { fallback: string }> {
  const deadline = new Deadline(o.timeout);
  const call = callFor(o, deadline);
  const env = composeEnv(c, caps);
  const base = [...g.files.flatMap((f) => ['-f', f]), '--project-directory', g.projectDir];
  const project = projectName(o.runId, group);
  const run = (args: string[], ms?: number): Promise<DockerResult> => exec(c.argv, args, { timeoutMs: Math.min(ms ?? deadline.left(), deadline.left()), env, ...(o.signal ? { signal: o.signal } : {}) });

  const cfg = await run([...base, '-p', project, 'config'], 120_000);
  if (cfg.code !== 0) return { fallback: `${c.label} could not load ${g.files.map((f) => path.relative(g.projectDir, f) || f).join(', ')}: ${firstLine(cfg.stderr.replace(/^WARN.*$/gm, '')) || 'config failed'}` };
  let doc: Doc;
  try {
    doc = requireYaml().parse(cfg.stdout) as Doc;
  } catch (e) {
    return { fallback: `${c.label} config printed what ro-uv-check cannot read: ${(e as Error).message}` };
  }
  const names = g.targets.map((x) => x.t.name);
  const original = JSON.stringify(doc);
  const services = (isMap(doc.services) ? doc.services : {}) as Record<string, Svc>;
  const results = new Map<string, SmokeResult>();
  for (const { t } of g.targets) {
    const s = services[t.name];
    const r: SmokeResult = { target: t.name, result: 'failed', quoted: [], logTail: '', diff: [], envKeys: envKeysOf(s), runner: c.label, dependencies: [] };
    if (s?.read_only !== true) r.serviceNotReadOnly = true;
    results.set(t.name, r);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ro-uv-check-compose-'));
  const used: { project: string }[] = [];
  try {
    const rw = rewriteConfig(doc, { runId: o.runId, targets: names, readOnly: true, buildNetworkHost: caps.buildkit && !caps.bridge });
    const file = path.join(tmp, 'compose.json');
    fs.writeFileSync(file, JSON.stringify(doc, null, 1), { mode: 0o600 });
    const f = ['-f', file, '--project-directory', g.projectDir, '-p', project];
    used.push({ project });

    // One build per distinct image, for the targets and what they need.
    const needed = new Set(names.flatMap((n) => [n, ...closure(services, n)]));
    const failedBuilds = new Map<string, { cause: string; quoted: string[]; log: string }>();
    for (const b of rw.builds) {
      if (!b.services.some((s) => needed.has(s))) continue;
      o.log?.(`building ${b.services.join(', ')} (${c.label})`);
      // v1's own builder (no BuildKit) otherwise leaves the container of a failed step behind, as `docker build` does.
      const r = await run([...f, 'build', ...(c.version === 1 ? ['--force-rm'] : []), b.services[0]!]);
      const log = tail(`${r.stdout}\n${r.stderr}`, 4000);
      for (const s of b.services) {
        const res = results.get(s);
        if (res) res.buildLog = log;
      }
      if (r.code !== 0 || r.timedOut) {
        const cause = r.timedOut || deadline.passed() ? `timed out after ${o.timeout} s while building` : 'build failed';
        for (const s of b.services) failedBuilds.set(s, { cause, quoted: quote(log, /error|fail|not found|returned a non-zero|did not complete/i), log });
      }
    }
    const startable: string[] = [];
    const observed = new Set<string>();
    for (const n of names) {
      const res = results.get(n)!;
      const own = failedBuilds.get(n);
      const dep = closure(services, n).find((d) => failedBuilds.has(d));
      if (own) Object.assign(res, { cause: own.cause, quoted: own.quoted });
      else if (dep) Object.assign(res, { cause: `dependency ${dep}: ${failedBuilds.get(dep)!.cause}`, quoted: failedBuilds.get(dep)!.quoted });
      else startable.push(n);
    }

    if (startable.length && !o.signal?.aborted) {
      o.log?.(`starting ${startable.join(', ')} with their dependencies (${c.label})`);
      const up = await run([...f, 'up', '-d', '--no-build', ...startable]);
      const ids = await containersOf(project, call);
      await pool(startable, PARALLEL, async (n) => {
        const res = results.get(n)!;
        const deps = closure(services, n);
        const id = ids.get(n);
        const st = id ? await inspectState(id, call) : undefined;
        if (!id || !st?.started) {
          const blame = await dependencyProblem(deps, ids, call);
          if (blame) Object.assign(res, { cause: `${blame.message}: ${n} was not started`, quoted: blame.quoted });
          else if (up.timedOut || deadline.passed()) res.cause = `timed out after ${o.timeout} s while starting`;
          else Object.assign(res, { cause: `the container could not start: ${firstLine(errorLines(up.stderr).join('\n')) || `${c.label} up failed`}`, quoted: quote(up.stderr, /error|fail|unhealthy|exited/i) });
        } else {
          await observe(id, mountPointsOf(services[n]), o, deadline, call, res);
          observed.add(n);
          if (res.result === 'failed') {
            const blame = await dependencyProblem(deps, ids, call);
            if (blame) {
              res.cause = `${res.cause} (${blame.message})`;
              res.quoted = [...res.quoted, ...blame.quoted].slice(-40);
            }
          }
        }
        res.dependencies = await Promise.all(deps.map(async (d) => ({ name: d, state: await describe(ids.get(d), call) })));
      });
    }

    // The write profile: the same project, the targets' read_only off, under a project name of its own.
    const profiled = [...observed].filter((n) => o.profile || results.get(n)!.result === 'failed');
    if (profiled.length && !deadline.passed() && !o.signal?.aborted) {
      const wdoc = JSON.parse(original) as Doc;
      rewriteConfig(wdoc, { runId: o.runId, targets: names.filter((n) => profiled.includes(n)), readOnly: false, buildNetworkHost: caps.buildkit && !caps.bridge });
      const wfile = path.join(tmp, 'compose-write.json');
      fs.writeFileSync(wfile, JSON.stringify(wdoc, null, 1), { mode: 0o600 });
      const wproject = projectName(o.runId, group, true);
      used.push({ project: wproject });
      const wf = ['-f', wfile, '--project-directory', g.projectDir, '-p', wproject];
      await run([...wf, 'up', '-d', '--no-build', ...profiled]);
      const wids = await containersOf(wproject, call);
      await pool(profiled, PARALLEL, async (n) => {
        const id = wids.get(n);
        if (!id) return;
        await waitFor(id, { ...o, probe: undefined }, deadline, call);
        const diff = await call(['diff', id], 30_000);
        const t = g.targets.find((x) => x.t.name === n)!.t;
        const rt = t.runtime;
        const opts: Parameters<typeof profileWrites>[1] = { existingMounts: mountPointsOf(services[n]) };
        if (rt?.user.uid !== undefined) opts.uid = rt.user.uid;
        if (rt?.user.gid !== undefined) opts.gid = rt.user.gid;
        if (rt?.stage) {
          opts.venv = `${rt.stage.workdir.replace(/\/$/, '')}/.venv`;
          opts.workdir = rt.stage.workdir;
        }
        results.get(n)!.profile = profileWrites(diff.stdout, opts);
      });
    }
    return { results: names.map((n) => results.get(n)!) };
  } finally {
    // Always (success, failure, timeout, cancellation): what `down -v --remove-orphans` removes (containers with their
    // anonymous volumes, networks, named volumes), found by compose's project label with the docker CLI: the same
    // result without a second compose start and without waiting out a stop timeout. Images: the run's label sweep
    // (runSmokeTests), unless smoke-keep-image.
    for (const u of used) await removeComposeProject(u.project);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The containers of a compose project by service (one replica: the first). */
async function containersOf(project: string, call: Call): Promise<Map<string, string>> {
  const r = await call(['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.ID}} {{.Label "com.docker.compose.service"}}'], 30_000);
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const [id, service] = line.trim().split(' ');
    if (id && service && !out.has(service)) out.set(service, id);
  }
  return out;
}

interface State {
  started: boolean;
  running: boolean;
  exitCode: number;
  health?: string;
}

async function inspectState(id: string, call: Call): Promise<State | undefined> {
  const r = await call(['inspect', '--format', '{{json .State}}', id], 20_000);
  if (r.code !== 0) return undefined;
  try {
    const s = JSON.parse(r.stdout) as { Running: boolean; ExitCode: number; StartedAt?: string; Health?: { Status: string } };
    const st: State = { started: Boolean(s.StartedAt && !s.StartedAt.startsWith('0001-')), running: s.Running, exitCode: s.ExitCode };
    if (s.Health?.Status) st.health = s.Health.Status;
    return st;
  } catch {
    return undefined;
  }
}

async function describe(id: string | undefined, call: Call): Promise<string> {
  const st = id ? await inspectState(id, call) : undefined;
  if (!st || !st.started) return 'not started';
  if (st.running) return st.health ? `running (${st.health})` : 'running';
  return `exited with code ${st.exitCode}`;
}

/** The first dependency that failed to start, exited with an error, or did not become healthy, with its logs. */
async function dependencyProblem(deps: string[], ids: Map<string, string>, call: Call): Promise<{ message: string; quoted: string[] } | undefined> {
  for (const d of deps) {
    const id = ids.get(d);
    const st = id ? await inspectState(id, call) : undefined;
    let message: string | undefined;
    if (!st || !st.started) message = `dependency ${d} was not started`;
    else if (!st.running && st.exitCode !== 0) message = `dependency ${d} exited with code ${st.exitCode}`;
    else if (st.health === 'unhealthy' || st.health === 'starting') message = `dependency ${d} did not become healthy`;
    if (!message) continue;
    let quoted: string[] = [];
    if (id) {
      const logs = await call(['logs', '--tail', '40', id], 30_000);
      quoted = `${logs.stdout}${logs.stderr}`.split('\n').filter((l) => l.trim()).slice(-20).map((l) => `${d} | ${l}`);
      if (st?.health === 'unhealthy' || st?.health === 'starting') {
        const h = await call(['inspect', '--format', '{{range .State.Health.Log}}{{.Output}}{{end}}', id], 20_000);
        const out = h.stdout.split('\n').filter((l) => l.trim()).slice(-5);
        if (out.length) quoted.push(...out.map((l) => `${d} | healthcheck: ${l}`));
      }
    }
    return { message, quoted };
  }
  return undefined;
}

function errorLines(text: string): string[] {
  return text.split('\n').filter((l) => /error/i.test(l));
}

/** Runs `fn` over `items`, at most `n` at a time. */
export async function pool<T>(items: T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}
