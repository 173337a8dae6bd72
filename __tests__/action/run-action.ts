/** Runs the built dist/index.js as a GitHub runner does: INPUT_* (defaults from action.yml), GITHUB_* files. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../helpers.js';
import { FakeGitHub } from './fake-github.js';

export interface ActionRun {
  status: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export function actionDefaults(): Record<string, string> {
  const action = parse(fs.readFileSync(path.join(PROJECT_ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
  const out: Record<string, string> = {};
  for (const [name, def] of Object.entries(action.inputs)) out[name] = String(def.default ?? '');
  return out;
}

/** GITHUB_OUTPUT's `name<<DELIM` … `DELIM` format. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (m) {
      const end = lines.indexOf(m[2]!, i + 1);
      out[m[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i]!.includes('=')) {
      const [k, ...v] = lines[i]!.split('=');
      out[k!] = v.join('=');
    }
  }
  return out;
}

/**
 * Without `apiUrl` the run gets a stand-in API of its own that answers as GitHub does for a read-only token (check
 * runs refused with 403, so annotations are workflow commands), instead of an address where nothing listens.
 */
export async function runAction(opts: { workspace: string; inputs?: Record<string, string>; event?: unknown; eventName?: string; apiUrl?: string; env?: Record<string, string> }): Promise<ActionRun> {
  if (opts.apiUrl) return runActionAt(opts, opts.apiUrl);
  const own = new FakeGitHub();
  await own.start();
  try {
    return await runActionAt(opts, own.url);
  } finally {
    await own.stop();
  }
}

async function runActionAt(opts: { workspace: string; inputs?: Record<string, string>; event?: unknown; eventName?: string; env?: Record<string, string> }, apiUrl: string): Promise<ActionRun> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'action-run-'));
  const outputFile = path.join(tmp, 'output');
  const summaryFile = path.join(tmp, 'summary');
  fs.writeFileSync(outputFile, '');
  fs.writeFileSync(summaryFile, '');
  const eventPath = path.join(tmp, 'event.json');
  fs.writeFileSync(eventPath, JSON.stringify(opts.event ?? {}));
  const inputs = { ...actionDefaults(), 'github-token': 'ghs_testtoken123', ...opts.inputs };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_WORKSPACE: opts.workspace,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_EVENT_NAME: opts.eventName ?? 'pull_request',
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_SHA: 'abc123',
    GITHUB_RUN_ID: '42',
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_API_URL: apiUrl,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...opts.env,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'index.js')], { cwd: opts.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const result = { status, stdout, stderr, outputs: parseOutputs(fs.readFileSync(outputFile, 'utf8')), summary: fs.readFileSync(summaryFile, 'utf8') };
  fs.rmSync(tmp, { recursive: true, force: true });
  return result;
}
