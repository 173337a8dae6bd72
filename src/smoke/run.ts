/**
 * The smoke test of one target: build, run read-only as production would, wait, probe, collect logs, `docker diff`
 * and state, decide, and remove what it created on every path (success, failure, timeout, cancellation).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { docker, runLabel, type DockerResult, type EngineCaps } from './docker.js';
import { buildArgs, buildKey, runPlan, type SmokeTarget } from './plan.js';
import { classifyDiff, type DiffLine } from './diff.js';
import { profileWrites, type Profile } from './profile.js';
import { shellWords } from '../core/parse/shell.js';

/** How a target is run and judged (the smoke-* options that are not about choosing the target). */
export interface RunSettings {
  duration: number;
  expect: 'running' | 'exit-0';
  probe?: string;
  allowWrites: string[];
  /** Seconds for the whole test of a target, build included. */
  timeout: number;
  network: string;
  profile: boolean;
  keepImage: boolean;
}

export interface SmokeOptions extends RunSettings {
  runId: string;
  signal?: AbortSignal;
  log?: (m: string) => void;
  /** What the engine can do (BuildKit, a bridge network); undefined: as the client defaults. */
  caps?: EngineCaps;
  /** One build per distinct image across targets: the build of each key, shared (see buildKey). */
  builds?: Map<string, Promise<BuildOutcome>>;
  /** A compose target run through `docker run`: why (see SmokeResult.note). */
  fallbackNote?: string;
}

export interface BuildOutcome {
  image?: string;
  buildLog: string;
  failure?: { cause: string; quoted: string[] };
}

export interface SmokeResult {
  target: string;
  result: 'passed' | 'failed';
  cause?: string;
  /** Up to 20 log lines that show the cause. */
  quoted: string[];
  logTail: string;
  diff: DiffLine[];
  /** The compose service itself lacks `read_only: true` (the test ran read-only anyway). */
  serviceNotReadOnly?: boolean;
  envKeys: string[];
  /** How it ran: `docker run`, or the Docker Compose command (`docker compose`, `docker-compose 1.29.2`). */
  runner?: string;
  /** The services compose started for it (its depends_on, transitively), each with its state at the end. */
  dependencies?: { name: string; state: string }[];
  /** Why it did not run through compose (not found, or could not load the files) and what was not started. */
  note?: string;
  profile?: Profile;
  buildLog?: string;
  exitCode?: number;
}

const READ_ONLY_FAILURE = /Read-only file system|os error 30|EROFS|Could not acquire lock|No usable temporary directory|^\s*(Installed|Uninstalled|Resolved|Prepared|Audited) \d+ packages?/im;
const MAX_QUOTED = 20;

export class Deadline {
  private readonly end: number;
  constructor(seconds: number) {
    this.end = Date.now() + seconds * 1000;
  }
  left(): number {
    return Math.max(1000, this.end - Date.now());
  }
  passed(): boolean {
    return Date.now() >= this.end;
  }
}

export async function smokeTest(t: SmokeTarget, index: number, o: SmokeOptions): Promise<SmokeResult> {
  const label = runLabel(o.runId);
  const res: SmokeResult = { target: t.name, result: 'failed', quoted: [], logTail: '', diff: [], envKeys: [], runner: 'docker run' };
  if (t.service && t.service.readOnly?.value !== true) res.serviceNotReadOnly = true;
  if (o.fallbackNote) res.note = o.fallbackNote;
  const deadline = new Deadline(o.timeout);
  const call = callFor(o, deadline);
  const created: Created = { containers: [], volumes: [] };
  try {
    const ping = await call(['version', '--format', '{{.Server.Version}}'], 20_000);
    if (ping.code !== 0) return fail(res, `no Docker daemon answers: ${firstLine(ping.stderr) || 'docker version failed'}`);

    let image = t.image;
    if (!image) {
      const b = await buildShared(t, index, o, deadline, call, created);
      res.buildLog = b.buildLog;
      if (b.failure) return fail(res, b.failure.cause, b.failure.quoted);
      image = b.image!;
    }

    const name = `ro-uv-check-${o.runId}-${index}`;
    const plan = runPlan(t, { name, label, network: o.network, readOnly: true, runId: `${o.runId}-${index}` });
    res.envKeys = plan.envKeys;
    for (const v of plan.volumes) {
      await call(['volume', 'create', '--label', label, v.name], 30_000);
      created.volumes.push(v.name);
    }
    created.containers.push(name);
    const started = await call(['run', ...plan.flags, image, ...plan.args], 60_000);
    if (started.code !== 0) return fail(res, `the container could not start: ${firstLine(started.stderr)}`, quote(started.stderr, /./));

    await observe(name, plan.mountPoints, o, deadline, call, res);

    if ((res.result === 'failed' || o.profile) && !deadline.passed() && !o.signal?.aborted) {
      res.profile = await writeProfile(t, image, index, o, deadline, call, label, created, plan.mountPoints);
    }
    return res;
  } finally {
    await cleanup(created);
  }
}

function fail(r: SmokeResult, cause: string, quoted: string[] = []): SmokeResult {
  r.cause = cause;
  r.quoted = quoted;
  return r;
}

/**
 * The image of a target, built once per distinct build (same context, Dockerfile, target, args, inline text) across
 * the run's targets: the first target to ask builds it, the others wait for that build. With sharing, the image is
 * removed by the run's final label sweep, not by the target that built it.
 */
function buildShared(t: SmokeTarget, index: number, o: SmokeOptions, deadline: Deadline, call: Call, created: Created): Promise<BuildOutcome> {
  const key = buildKey(t);
  const known = o.builds?.get(key);
  if (known) return known;
  const p = buildImage(t, index, o, deadline, call, created, !o.builds);
  o.builds?.set(key, p);
  return p;
}

async function buildImage(t: SmokeTarget, index: number, o: SmokeOptions, deadline: Deadline, call: Call, created: Created, own: boolean): Promise<BuildOutcome> {
  const tag = `ro-uv-check-smoke:${o.runId}-${index}`;
  let target = t;
  let tempDir: string | undefined;
  if (t.build?.inline !== undefined) {
    // A compose dockerfile_inline: built from a temporary file (outside the context), removed once built.
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ro-uv-check-inline-'));
    const dockerfile = path.join(tempDir, 'Dockerfile');
    fs.writeFileSync(dockerfile, t.build.inline, { mode: 0o600 });
    target = { ...t, build: { ...t.build, dockerfile } };
  }
  try {
    const args = buildArgs(target, tag, runLabel(o.runId), o.caps)!;
    o.log?.(`building ${t.name}`);
    const b = await call(args, undefined, buildEnv(o.caps));
    const buildLog = tail(`${b.stdout}\n${b.stderr}`, 4000);
    if (b.timedOut || deadline.passed()) return { buildLog, failure: { cause: `timed out after ${o.timeout} s while building`, quoted: quote(buildLog, /error|fail/i) } };
    if (b.code !== 0) return { buildLog, failure: { cause: 'build failed', quoted: quote(buildLog, /error|fail|not found|returned a non-zero|did not complete/i) } };
    if (own && !o.keepImage) created.image = tag;
    return { image: tag, buildLog };
  } finally {
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

/** BuildKit where the client has it (buildx, or a pre-23 client's built-in one): uv's guide uses RUN --mount. */
export function buildEnv(caps: EngineCaps | undefined): NodeJS.ProcessEnv | undefined {
  return caps?.buildkit ? { ...process.env, DOCKER_BUILDKIT: '1' } : undefined;
}

/**
 * A started container, judged: wait for the duration (or healthy), probe, logs, `docker diff`, and the verdict in
 * `res` (passed, or failed with its cause and quoted lines).
 */
export async function observe(name: string, mountPoints: string[], o: SmokeOptions, deadline: Deadline, call: Call, res: SmokeResult): Promise<void> {
  const state = await waitFor(name, o, deadline, call);
  const logs = await call(['logs', '--tail', '200', name], 30_000);
  res.logTail = tail(`${logs.stdout}${logs.stderr}`, 8000);
  const diff = await call(['diff', name], 30_000);
  res.diff = classifyDiff(diff.stdout, mountPoints, o.allowWrites);
  if (state.exitCode !== undefined) res.exitCode = state.exitCode;

  let cause = state.problem;
  if (!cause && o.probe && state.running) {
    const p = await call(['exec', name, ...probeArgv(o.probe)], 60_000);
    if (p.code !== 0) {
      cause = `the probe failed (exit ${p.code})`;
      res.quoted = quote(`${p.stdout}\n${p.stderr}`, /./);
    }
  }
  const roLines = withContext(res.logTail.split('\n'), (l) => READ_ONLY_FAILURE.test(l));
  if (!cause && roLines.length) cause = 'a read-only failure in the logs';
  if (cause && !res.quoted.length) res.quoted = (roLines.length ? roLines : res.logTail.split('\n').filter(Boolean).slice(-MAX_QUOTED)).slice(0, MAX_QUOTED);
  const unexpected = res.diff.filter((d) => !d.expected);
  if (!cause && unexpected.length) cause = `an unexpected write at ${unexpected[0]!.path}${unexpected.length > 1 ? ` (and ${unexpected.length - 1} more)` : ''}`;
  if (cause) res.cause = cause;
  else res.result = 'passed';
}

export type Call = (args: string[], ms?: number, env?: NodeJS.ProcessEnv) => Promise<DockerResult>;
interface Created {
  containers: string[];
  volumes: string[];
  image?: string;
}

/** Docker calls bounded by the deadline (and `ms`), cancelled by the run's signal. */
export function callFor(o: SmokeOptions, deadline: Deadline): Call {
  return (args, ms, env) => docker(args, { timeoutMs: Math.min(ms ?? deadline.left(), deadline.left()), ...(o.signal ? { signal: o.signal } : {}), ...(env ? { env } : {}) });
}

export async function waitFor(
  name: string,
  o: SmokeOptions,
  deadline: Deadline,
  call: Call,
): Promise<{ running: boolean; exitCode?: number; problem?: string }> {
  const until = Date.now() + o.duration * 1000;
  for (;;) {
    const r = await call(['inspect', '--format', '{{json .State}}|{{.RestartCount}}', name], 20_000);
    if (r.code !== 0) return { running: false, problem: `docker inspect failed: ${firstLine(r.stderr)}` };
    const [json = '{}', restarts = '0'] = r.stdout.trim().split('|');
    const st = JSON.parse(json) as { Running: boolean; ExitCode: number; OOMKilled: boolean; Health?: { Status: string } };
    if (st.OOMKilled) return { running: false, exitCode: st.ExitCode, problem: 'the container was killed: out of memory' };
    if (Number(restarts) > 0) return { running: st.Running, problem: `the container restarted ${restarts} times` };
    if (!st.Running) {
      if (o.expect === 'exit-0') return st.ExitCode === 0 ? { running: false, exitCode: 0 } : { running: false, exitCode: st.ExitCode, problem: `exited with code ${st.ExitCode}` };
      return { running: false, exitCode: st.ExitCode, problem: `exited with code ${st.ExitCode} (expected to keep running)` };
    }
    if (o.expect === 'running' && st.Health?.Status === 'healthy') return { running: true };
    if (st.Health?.Status === 'unhealthy') return { running: true, problem: 'the HEALTHCHECK reports unhealthy' };
    if (o.signal?.aborted) return { running: true, problem: 'cancelled' };
    if (deadline.passed()) return { running: true, problem: `timed out after ${o.timeout} s` };
    if (Date.now() >= until) {
      if (o.expect === 'exit-0') {
        await call(['stop', '-t', '2', name], 20_000);
        return { running: false, problem: `still running after ${o.duration} s (expected to exit 0): stopped` };
      }
      return { running: true };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function writeProfile(
  t: SmokeTarget,
  image: string,
  index: number,
  o: SmokeOptions,
  deadline: Deadline,
  call: Call,
  label: string,
  created: Created,
  mountPoints: string[],
): Promise<Profile> {
  const name = `ro-uv-check-${o.runId}-${index}-profile`;
  const plan = runPlan(t, { name, label, network: o.network, readOnly: false, runId: `${o.runId}-${index}p` });
  for (const v of plan.volumes) {
    await call(['volume', 'create', '--label', label, v.name], 30_000);
    created.volumes.push(v.name);
  }
  created.containers.push(name);
  await call(['run', ...plan.flags, image, ...plan.args], 60_000);
  await waitFor(name, { ...o, probe: undefined, expect: o.expect }, deadline, call);
  const diff = await call(['diff', name], 30_000);
  const rt = t.runtime;
  const venv = rt?.stage ? `${rt.stage.workdir.replace(/\/$/, '')}/.venv` : undefined;
  const opts: Parameters<typeof profileWrites>[1] = { existingMounts: mountPoints };
  if (rt?.user.uid !== undefined) opts.uid = rt.user.uid;
  if (rt?.user.gid !== undefined) opts.gid = rt.user.gid;
  if (venv) opts.venv = venv;
  if (rt?.stage) opts.workdir = rt.stage.workdir;
  return profileWrites(diff.stdout, opts);
}

async function cleanup(created: Created): Promise<void> {
  const t = { timeoutMs: 60_000 };
  if (created.containers.length) await docker(['rm', '-f', '-v', ...created.containers], t);
  if (created.volumes.length) await docker(['volume', 'rm', '-f', ...created.volumes], t);
  if (created.image) await docker(['image', 'rm', '-f', created.image], t);
}

/** The probe as an argv when it is one plain command, else through the container's `sh -c`. */
export function probeArgv(probe: string): string[] {
  return shellWords(probe) ?? ['sh', '-c', probe];
}

export function tail(s: string, n: number): string {
  return s.length > n ? s.slice(s.length - n) : s;
}

export function firstLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
}

export function quote(text: string, re: RegExp): string[] {
  const lines = text.split('\n').filter((l) => l.trim());
  const hits = lines.filter((l) => re.test(l));
  return (hits.length ? hits : lines).slice(-MAX_QUOTED);
}

/** The lines that match, each with the line before it (errors often state what failed, then why). */
function withContext(lines: string[], match: (l: string) => boolean): string[] {
  const keep = new Set<number>();
  lines.forEach((l, i) => {
    if (!match(l)) return;
    if (i > 0 && lines[i - 1]!.trim()) keep.add(i - 1);
    keep.add(i);
  });
  return [...keep].sort((a, b) => a - b).map((i) => lines[i]!).slice(0, MAX_QUOTED);
}
