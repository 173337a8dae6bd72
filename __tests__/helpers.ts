/** Test helpers: real repositories written to a temporary folder, analysed by the real engine. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { analyze, type AnalyzeResult } from '../src/core/engine.js';
import type { Finding } from '../src/core/types.js';

export const PROJECT_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export function writeRepo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ro-uv-check-test-'));
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}

export async function analyzeRepo(files: Record<string, string>, opts: { configPath?: string } = {}): Promise<AnalyzeResult> {
  const dir = writeRepo(files);
  try {
    return await analyze({ root: dir, ...opts });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function findingsOf(files: Record<string, string>, ruleId?: string): Promise<Finding[]> {
  const r = await analyzeRepo(files);
  return ruleId ? r.findings.filter((f) => f.ruleId === ruleId) : r.findings;
}

/** Asserts exactly one finding of `ruleId`, at `file:line:column` when given. */
export async function expectFinding(files: Record<string, string>, ruleId: string, at?: string): Promise<Finding> {
  const fs_ = await findingsOf(files, ruleId);
  assert.equal(fs_.length, 1, `expected one ${ruleId}, got ${fs_.length}: ${JSON.stringify(fs_, null, 1)}`);
  const f = fs_[0]!;
  if (at) assert.equal(`${f.file}:${f.line}:${f.column}`, at, f.message);
  return f;
}

export async function expectNone(files: Record<string, string>, ruleId: string): Promise<void> {
  const fs_ = await findingsOf(files, ruleId);
  assert.equal(fs_.length, 0, `expected no ${ruleId}, got: ${JSON.stringify(fs_, null, 1)}`);
}

/** A compose file with one hardened, read-only service building `.`. */
export const HARDENED_COMPOSE = `services:
  app:
    build: .
    read_only: true
    tmpfs:
      - "/home/appuser/.cache:uid=1001,gid=1001"
    cap_drop: [ALL]
    security_opt: ["no-new-privileges:true"]
`;

/** A final stage with a non-root user and PYTHONDONTWRITEBYTECODE, to isolate the rule under test. */
export function dockerfile(body: string, cmd = 'CMD ["uv", "run", "--no-sync", "app"]'): string {
  return `FROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim
RUN useradd --uid 1001 --create-home appuser
ENV PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
${body}
USER appuser
${cmd}
`;
}
