/**
 * Smoke-test fixtures: small repositories built FROM the local base image (debootstrap'ed Debian with python3, see
 * scripts/docker-engine.sh) with the project's own stand-in `uv` (__tests__/fixtures/smoke/uv-stand-in): the real
 * uv cannot be downloaded here. The stand-in reproduces what matters for a read-only container: the cache lock at
 * every command, `uv sync` writing .venv, `uv run` re-syncing unless --no-sync / UV_NO_SYNC.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from '@jest/globals';
import { writeRepo, PROJECT_ROOT, HARDENED_COMPOSE } from '../helpers.js';

export const BASE_IMAGE = process.env.RO_UV_CHECK_TEST_BASE ?? 'ro-uv-check-test-base:bookworm';
const FIXTURES = path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'smoke');

/** The seed's compose recipe: read-only, the uv cache tmpfs owned by uid 1001, no capabilities, no new privileges. */
export const SEED_COMPOSE = HARDENED_COMPOSE;

export function seedDockerfile(opts: { cmd?: string; env?: string; build?: string } = {}): string {
  return `FROM ${BASE_IMAGE}
COPY uv-stand-in /usr/local/bin/uv
RUN groupadd --gid 1001 appuser && useradd --uid 1001 --gid 1001 --create-home appuser
ENV PYTHONDONTWRITEBYTECODE=1${opts.env ? ` ${opts.env}` : ''}
WORKDIR /app
COPY app.py pyproject.toml uv.lock ./
RUN ${opts.build ?? 'uv sync --locked --no-editable --compile-bytecode --no-dev'}
RUN chown -R appuser:appuser /app
USER appuser
CMD ${opts.cmd ?? '["uv", "run", "--no-sync", "python3", "/app/app.py"]'}
`;
}

export function fixtureRepo(files: { dockerfile: string; compose?: string }): string {
  const dir = writeRepo({ Dockerfile: files.dockerfile, ...(files.compose ? { 'compose.yaml': files.compose } : {}) });
  for (const f of ['uv-stand-in', 'app.py', 'pyproject.toml', 'uv.lock']) fs.copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
  fs.chmodSync(path.join(dir, 'uv-stand-in'), 0o755);
  return dir;
}

export function dockerAvailable(): { ok: boolean; why: string } {
  const bin = process.env.RO_UV_CHECK_DOCKER || 'docker';
  const v = spawnSync(bin, ['image', 'inspect', '--format', '{{.Id}}', BASE_IMAGE], { encoding: 'utf8', timeout: 20_000 });
  if (v.status === 0) return { ok: true, why: '' };
  return { ok: false, why: `${bin}: ${(v.stderr || v.error?.message || '').trim().split('\n')[0]} (run scripts/docker-engine.sh)` };
}

/**
 * \`test\` for the tests that need the engine: skipped (with the reason printed once) when no engine answers, unless
 * RO_UV_CHECK_REQUIRE_DOCKER=1 (CI), where they run and fail.
 */
export function testWithDocker(): typeof test.skip {
  const avail = dockerAvailable();
  if (avail.ok || process.env.RO_UV_CHECK_REQUIRE_DOCKER === '1') return test;
  console.warn(`skipping the Docker tests: no Docker engine: ${avail.why}`);
  return test.skip;
}

/** Everything Docker still has with a run's label. */
export function leftovers(runId: string): string[] {
  const bin = process.env.RO_UV_CHECK_DOCKER || 'docker';
  const label = `label=ro-uv-check.run=${runId}`;
  const out: string[] = [];
  // (Images compose built carry the run's tag, not its label.)
  for (const args of [['ps', '-aq', '--filter', label], ['volume', 'ls', '-q', '--filter', label], ['image', 'ls', '-q', '--filter', label], ['image', 'ls', '-q', '--filter', `reference=ro-uv-check-smoke:${runId}-*`]]) {
    const r = spawnSync(bin, args, { encoding: 'utf8' });
    out.push(...r.stdout.split('\n').filter(Boolean).map((x) => `${args[0]} ${x}`));
  }
  return out;
}
