/**
 * `npm run bench`: the performance targets, measured side by side with dockerfilelint.
 * Generates deterministic synthetic monorepos (bench/generate.ts), runs the bundled CLI on them several times, and
 * prints median wall time, files per second, peak RSS, and the ratio to dockerfilelint on the same Dockerfiles (runs
 * interleaved, so drift in the machine's speed moves both); then
 * the action's cold start against bare node, then the smoke test against a bare build + run (bench/smoke.ts). Numbers only: no assertion here or in the test suite.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { generate } from './generate.js';
import { printSmokeBench } from './smoke.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const sizes = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const hasTime = fs.existsSync('/usr/bin/time');

interface Sample {
  ms: number;
  rssKb?: number;
}

function measure(cmd: string, args: string[], cwd = ROOT): Sample {
  if (hasTime) {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    const ms = performance.now() - t0;
    const rss = Number(r.stderr.trim().split('\n').pop());
    return Number.isFinite(rss) ? { ms, rssKb: rss } : { ms };
  }
  const t0 = performance.now();
  spawnSync(cmd, args, { cwd, maxBuffer: 512 * 1024 * 1024 });
  return { ms: performance.now() - t0 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function summarise(label: string, samples: Sample[]): { ms: number; rssKb?: number } {
  const ms = median(samples.map((s) => s.ms));
  const rss = samples.map((s) => s.rssKb).filter((x): x is number => x !== undefined);
  console.log(`  ${label.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms${rss.length ? `   peak RSS ${(Math.max(...rss) / 1024).toFixed(0)} MB` : ''}`);
  return rss.length ? { ms, rssKb: Math.max(...rss) } : { ms };
}

const cli = path.join(ROOT, 'dist', 'cli', 'index.js');
/** The bundled CLI on a repository, its JSON report written to a scratch file. */
const cliArgs = (dir: string): string[] => [cli, dir, '--format', 'json', '--output', path.join(os.tmpdir(), 'ro-uv-check-bench.json')];
const dockerfilelint = path.join(ROOT, 'node_modules', '.bin', 'dockerfilelint');
/** bench/floor.ts: listing, reading and parsing the same files with no model and no rules (unbundled build). */
const floor = path.join(ROOT, 'build', 'bench', 'floor.js');
console.log(`ro-uv-check benchmark: node ${process.version}, ${os.cpus().length} cores, median of ${RUNS} runs`);
const results: Record<number, number> = {};
for (const n of sizes) {
  const dir = path.join(os.tmpdir(), `ro-uv-check-bench-${n}`);
  if (!fs.existsSync(path.join(dir, 'services'))) generate(dir, n);
  const dockerfiles = fs.readdirSync(path.join(dir, 'services')).map((s) => path.join(dir, 'services', s, 'Dockerfile'));
  const files = n * 3; // Dockerfile, compose.yaml, entrypoint.sh analysed per service
  console.log(`\n${n} services (${files} files analysed):`);
  const runs = n >= 10000 ? Math.min(RUNS, 3) : RUNS;
  const oursArgs = cliArgs(dir);
  const hasPeer = fs.existsSync(dockerfilelint);
  // Interleaved (ours, theirs, ours, …) so that a machine getting slower or faster mid-run moves both alike.
  const oursSamples: Sample[] = [];
  const theirSamples: Sample[] = [];
  const floorSamples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    oursSamples.push(measure(process.execPath, oursArgs));
    if (hasPeer) theirSamples.push(measure(dockerfilelint, dockerfiles));
    floorSamples.push(measure(process.execPath, [floor, dir]));
  }
  const ours = summarise('ro-uv-check (whole repository)', oursSamples);
  results[n] = ours.ms;
  console.log(`  ${''.padEnd(34)} ${(files / (ours.ms / 1000)).toFixed(0).padStart(7)} files/s`);
  if (hasPeer) {
    const theirs = summarise('dockerfilelint (Dockerfiles only)', theirSamples);
    console.log(`  ratio ours/dockerfilelint: ${(ours.ms / theirs.ms).toFixed(2)}x   (target <= 0.75x, goal 0.5x)`);
  }
  // What reading and parsing alone cost: the part of the time no model or rule change can remove.
  const parse = summarise('parse floor (no model, no rules)', floorSamples);
  if (theirSamples.length) console.log(`  ratio floor/dockerfilelint: ${(parse.ms / median(theirSamples.map((x) => x.ms))).toFixed(2)}x; model and rules: ${(ours.ms - parse.ms).toFixed(0)} ms`);
}
if (sizes.includes(1000)) {
  // The synthetic files above all take the fast paths; real ones often do not. The same 1,000 services with a `case`
  // statement in every entrypoint script and an anchor and merge key in every compose file (mvdan-sh and `yaml`
  // loaded, 1,000 library parses each):
  const dir = path.join(os.tmpdir(), 'ro-uv-check-bench-1000-libraries');
  if (!fs.existsSync(path.join(dir, 'services'))) generate(dir, 1000, { libraries: true });
  console.log('\n1000 services, every Dockerfile, script and compose file beyond the fast paths:');
  const slow = summarise('ro-uv-check (whole repository)', Array.from({ length: RUNS }, () => measure(process.execPath, cliArgs(dir))));
  if (results[1000]) console.log(`  vs all on the fast paths: +${(slow.ms - results[1000]).toFixed(0)} ms`);
}
if (results[1000] && results[10000]) console.log(`\nscaling 10,000 / 1,000 services: ${(results[10000] / results[1000]).toFixed(2)}x   (target <= 10.5x)`);

const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ro-uv-check-empty-'));
const outFile = path.join(empty, 'out');
fs.writeFileSync(outFile, '');
const env = { ...process.env, GITHUB_WORKSPACE: empty, GITHUB_OUTPUT: outFile, 'INPUT_FAIL-ON': 'error', INPUT_COMMENT: 'false', INPUT_ANNOTATIONS: 'true' };
console.log('\ncold start (repository without Docker files):');
const node0 = median(Array.from({ length: RUNS * 2 }, () => measure(process.execPath, ['-e', '0']).ms));
const action = median(Array.from({ length: RUNS * 2 }, () => {
  const t0 = performance.now();
  spawnSync(process.execPath, [path.join(ROOT, 'dist', 'index.js')], { env, cwd: empty });
  return performance.now() - t0;
}));
console.log(`  node -e 0                          ${node0.toFixed(0).padStart(7)} ms`);
console.log(`  node dist/index.js                 ${action.toFixed(0).padStart(7)} ms   (+${(action - node0).toFixed(0)} ms over bare node; target <= 150 ms)`);

// The smoke test (needs a Docker engine; BENCH_SMOKE=0 skips it): bench/smoke.ts.
if (process.env.BENCH_SMOKE !== '0') printSmokeBench(Number(process.env.BENCH_SMOKE_SERVICES ?? 3), Number(process.env.BENCH_SMOKE_DURATION ?? 5), Math.min(RUNS, 3));
