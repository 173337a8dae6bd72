/** The smoke test over every target, one after the other, with cleanup on cancellation. */
import { randomBytes } from 'node:crypto';
import type { Project } from '../core/model/project.js';
import { smokeTargets } from './plan.js';
import { smokeTest, type SmokeOptions, type SmokeResult, type RunSettings } from './run.js';
import { removeLabelled, runLabel } from './docker.js';

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
  const results: SmokeResult[] = [];
  const opts: SmokeOptions = {
    duration: cfg.duration,
    expect: cfg.expect,
    allowWrites: cfg.allowWrites,
    timeout: cfg.timeout,
    network: cfg.network,
    profile: cfg.profile,
    keepImage: cfg.keepImage || Boolean(cfg.image),
    runId: ctx.runId,
    ...(cfg.probe ? { probe: cfg.probe } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.log ? { log: ctx.log } : {}),
  };
  try {
    for (const [i, t] of targets.entries()) {
      if (ctx.signal?.aborted) break;
      results.push(await smokeTest(t, i, opts));
    }
  } finally {
    // Anything left with this run's label (a cancelled step, a crash between calls) goes too.
    await removeLabelled(runLabel(ctx.runId), { keepImages: cfg.keepImage });
  }
  return { targets: targets.map((t) => t.name), results };
}

/** Runs `fn` with SIGINT/SIGTERM turned into an abort plus removal of this run's containers, then re-raised. */
export async function withSignalCleanup<T>(runId: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const handler = (sig: NodeJS.Signals): void => {
    ac.abort();
    void removeLabelled(runLabel(runId)).finally(() => {
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
