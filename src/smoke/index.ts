/**
 * The smoke test over every target, with cleanup on every path: compose services through Docker Compose (one
 * project at a time, its targets together), the other targets (and compose services when compose is missing or
 * cannot load the files) with `docker run`, at most PARALLEL at once, each distinct image built once.
 */
import { randomBytes } from 'node:crypto';
import type { Project } from '../core/model/project.js';
import { smokeTargets, dependsOn, type SmokeTarget } from './plan.js';
import { smokeTest, firstLine, type SmokeOptions, type SmokeResult, type RunSettings } from './run.js';
import { docker, engineCaps, removeLabelled, runLabel } from './docker.js';
import { composeSmoke, findCompose, pool, projectName, PARALLEL, type ComposeGroup } from './compose.js';

export { runLabel } from './docker.js';

export type { SmokeResult } from './run.js';

export interface SmokeConfig extends RunSettings {
  service?: string;
  dockerfile?: string;
  context?: string;
  target?: string;
  buildArgs?: Map<string, string>;
  image?: string;
}

/** The target-choosing part of the config, as smokeTargets takes it. */
export function targetSelection(c: SmokeConfig): Parameters<typeof smokeTargets>[1] {
  const sel: Parameters<typeof smokeTargets>[1] = {};
  if (c.service) sel.service = c.service;
  if (c.dockerfile) sel.dockerfile = c.dockerfile;
  if (c.context) sel.context = c.context;
  if (c.target) sel.target = c.target;
  if (c.buildArgs) sel.buildArgs = c.buildArgs;
  if (c.image) sel.image = c.image;
  return sel;
}

export const SMOKE_DEFAULTS: SmokeConfig = { duration: 10, expect: 'running', allowWrites: [], timeout: 900, network: 'none', profile: false, keepImage: false };

export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export async function runSmokeTests(
  project: Project,
  cfg: SmokeConfig,
  ctx: { runId: string; signal?: AbortSignal; log?: (m: string) => void },
): Promise<{ targets: string[]; results: SmokeResult[]; error?: string }> {
  const { targets, error } = smokeTargets(project, targetSelection(cfg));
  if (error) return { targets: [], results: [], error };
  if (targets.length === 0) return { targets: [], results: [], error: 'nothing to smoke-test: no in-scope compose service, and no smoke-dockerfile or smoke-image given' };
  const results = new Map<number, SmokeResult>();
  const opts: SmokeOptions = {
    duration: cfg.duration,
    expect: cfg.expect,
    allowWrites: cfg.allowWrites,
    timeout: cfg.timeout,
    network: cfg.network,
    profile: cfg.profile,
    keepImage: cfg.keepImage || Boolean(cfg.image),
    runId: ctx.runId,
    builds: new Map(),
    ...(cfg.probe ? { probe: cfg.probe } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.log ? { log: ctx.log } : {}),
  };
  try {
    // The daemon, what the engine can do and which compose there is: asked at once.
    const wantsCompose = !cfg.image && targets.some((t) => t.compose);
    const [ping, caps, compose] = await Promise.all([
      docker(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000, ...(ctx.signal ? { signal: ctx.signal } : {}) }),
      engineCaps(ctx.signal),
      wantsCompose ? findCompose(ctx.signal) : Promise.resolve(undefined),
    ]);
    if (ping.code !== 0) {
      const cause = `no Docker daemon answers: ${firstLine(ping.stderr) || 'docker version failed'}`;
      return { targets: targets.map((t) => t.name), results: targets.map((t) => ({ target: t.name, result: 'failed', cause, quoted: [], logTail: '', diff: [], envKeys: [] })) };
    }
    opts.caps = caps;
    // Compose services (built or given an image by compose, not by smoke-image) go through compose, grouped by project.
    const groups = new Map<string, ComposeGroup>();
    const direct: { t: SmokeTarget; index: number; note?: string }[] = [];
    targets.forEach((t, index) => {
      if (!t.compose || cfg.image) return direct.push({ t, index });
      const key = JSON.stringify([t.compose.files, t.compose.projectDir]);
      if (!groups.has(key)) groups.set(key, { files: t.compose.files, projectDir: t.compose.projectDir, targets: [] });
      groups.get(key)!.targets.push({ t, index });
    });
    let g = 0;
    for (const group of groups.values()) {
      if (ctx.signal?.aborted) break;
      if (!compose) {
        for (const x of group.targets) direct.push({ ...x, note: withDeps('Docker Compose was not found (neither `docker compose` nor `docker-compose`): ran with `docker run`', x.t) });
        continue;
      }
      const r = await composeSmoke(group, g++, compose, opts.caps, opts);
      if ('fallback' in r) {
        for (const x of group.targets) direct.push({ ...x, note: withDeps(`${r.fallback}; ran with \`docker run\``, x.t) });
        continue;
      }
      group.targets.forEach((x, i) => results.set(x.index, r.results[i]!));
    }
    await pool(direct, PARALLEL, async ({ t, index, note }) => {
      if (ctx.signal?.aborted) return;
      results.set(index, await smokeTest(t, index, { ...opts, ...(note ? { fallbackNote: note } : {}) }));
    });
  } finally {
    // Anything left with this run's label (a cancelled step, a crash between calls, shared images) goes too.
    await removeLabelled(runLabel(ctx.runId), { keepImages: cfg.keepImage });
  }
  return { targets: targets.map((t) => t.name), results: [...results.keys()].sort((a, b) => a - b).map((i) => results.get(i)!) };
}

/**
 * The compose project names a run may use (one per compose project of the targets, and its write-profile twin),
 * for the action's post step: saved in the action state before the run.
 */
export function composeProjectNames(project: Project, cfg: SmokeConfig, runId: string): string[] {
  if (cfg.image) return [];
  const keys = new Set(smokeTargets(project, targetSelection(cfg)).targets.flatMap((t) => (t.compose ? [JSON.stringify([t.compose.files, t.compose.projectDir])] : [])));
  return [...keys].flatMap((_, g) => [projectName(runId, g), projectName(runId, g, true)]);
}

/** The note of a compose service run without compose: which of its dependencies were therefore not started. */
function withDeps(why: string, t: SmokeTarget): string {
  const deps = dependsOn(t.service);
  return `${why}; ${deps.length ? `its dependencies were therefore not started: ${deps.join(', ')}` : 'it has no dependencies to start'}`;
}

/** Runs `fn` with SIGINT/SIGTERM turned into an abort plus removal of this run's containers, then re-raised. */
export async function withSignalCleanup<T>(runId: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const handler = (sig: NodeJS.Signals): void => {
    ac.abort();
    // Until a sweep finds nothing (at most 20): a call killed in the middle may still create a container, and a
    // removal the run's own cleanup started at the same moment makes ours fail with "already in progress".
    const sweep = async (): Promise<void> => {
      for (let i = 0; i < 20; i++) {
        if (!(await removeLabelled(runLabel(runId))).length) return;
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    void sweep().finally(() => {
      process.removeListener('SIGINT', handler);
      process.removeListener('SIGTERM', handler);
      process.kill(process.pid, sig);
    });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  try {
    return await fn(ac.signal);
  } finally {
    process.removeListener('SIGINT', handler);
    process.removeListener('SIGTERM', handler);
  }
}
