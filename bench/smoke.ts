/**
 * The smoke-test benchmark (part of `npm run bench` where a Docker engine answers; `BENCH_SMOKE=0` skips it):
 * N compose services sharing one Dockerfile, smoke-tested by the bundled CLI (through Docker Compose when found),
 * against one bare `docker build` + read-only `docker run` of the same duration + `docker diff` + removal, the
 * floor any smoke test pays. Runs interleaved (ours, bare, ours, …), medians printed with the ratio (goal <= 1.2x).
 * Images use the project's stand-in uv (__tests__/fixtures/smoke/uv-stand-in), FROM the local base image that
 * scripts/docker-engine.sh builds.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const BASE_IMAGE = process.env.RO_UV_CHECK_TEST_BASE ?? 'ro-uv-check-test-base:bookworm';
const docker = process.env.RO_UV_CHECK_DOCKER || 'docker';

const DOCKERFILE = `FROM ${BASE_IMAGE}
COPY uv-stand-in /usr/local/bin/uv
RUN groupadd --gid 1001 appuser && useradd --uid 1001 --gid 1001 --create-home appuser
ENV PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
COPY app.py pyproject.toml uv.lock ./
RUN uv sync --locked --no-editable --compile-bytecode --no-dev
RUN chown -R appuser:appuser /app
USER appuser
CMD ["uv", "run", "--no-sync", "python3", "/app/app.py"]
`;

function repo(n: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ro-uv-check-bench-smoke-'));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
  const service = (i: number): string => `  app${i}:\n    build: .\n    read_only: true\n    tmpfs:\n      - "/home/appuser/.cache:uid=1001,gid=1001"\n    cap_drop: [ALL]\n    security_opt: ["no-new-privileges:true"]\n`;
  fs.writeFileSync(path.join(dir, 'compose.yaml'), `services:\n${Array.from({ length: n }, (_, i) => service(i + 1)).join('')}`);
  for (const f of ['uv-stand-in', 'app.py', 'pyproject.toml', 'uv.lock']) fs.copyFileSync(path.join(ROOT, '__tests__', 'fixtures', 'smoke', f), path.join(dir, f));
  fs.chmodSync(path.join(dir, 'uv-stand-in'), 0o755);
  return dir;
}

function timed(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0 && !(cmd === process.execPath && r.status === 1)) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error?.message}`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function smokeBench(opts: { services: number; duration: number; runs: number }): { ours: number[]; bare: number[] } | undefined {
  if (spawnSync(docker, ['image', 'inspect', BASE_IMAGE], { timeout: 20_000 }).status !== 0) {
    console.log(`\nsmoke test: skipped (no Docker engine with ${BASE_IMAGE}; run scripts/docker-engine.sh)`);
    return undefined;
  }
  const dir = repo(opts.services);
  const cli = path.join(ROOT, 'dist', 'cli', 'index.js');
  const ours: number[] = [];
  const bare: number[] = [];
  const tag = `ro-uv-check-bench-bare:${process.pid}`;
  const name = `ro-uv-check-bench-bare-${process.pid}`;
  try {
    // Warm the layer cache once for both (each measured run then builds from the same cache).
    run(docker, ['build', '-q', '-t', tag, dir]);
    run(docker, ['image', 'rm', tag]);
    for (let i = 0; i < opts.runs; i++) {
      ours.push(timed(() => run(process.execPath, [cli, dir, '--format', 'json', '--output', path.join(dir, 'out.json'), '--smoke-test', '--smoke-duration', String(opts.duration)])));
      const report = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')) as { smoke: { result: string; runner?: string }[] };
      if (i === 0) console.log(`  (ours: ${report.smoke.map((s) => s.result).join(', ')}; ran with ${report.smoke[0]?.runner ?? '?'})`);
      bare.push(
        timed(() => {
          run(docker, ['build', '-q', '-t', tag, dir]);
          run(docker, ['run', '-d', '--name', name, '--network', 'none', '--read-only', '--tmpfs', '/home/appuser/.cache:uid=1001,gid=1001', tag]);
          spawnSync('sleep', [String(opts.duration)]);
          run(docker, ['diff', name]);
          run(docker, ['rm', '-f', '-v', name]);
          run(docker, ['image', 'rm', tag]);
        }),
      );
    }
  } finally {
    spawnSync(docker, ['rm', '-f', '-v', name]);
    spawnSync(docker, ['image', 'rm', '-f', tag]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { ours, bare };
}

export function printSmokeBench(services: number, duration: number, runs: number): void {
  console.log(`\nsmoke test: ${services} compose services sharing one Dockerfile, ${duration} s each, median of ${runs} interleaved runs:`);
  const r = smokeBench({ services, duration, runs });
  if (!r) return;
  const o = median(r.ours);
  const b = median(r.bare);
  console.log(`  ro-uv-check --smoke-test (${services} services)   ${o.toFixed(0).padStart(7)} ms   (runs: ${r.ours.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`  bare docker build + run --read-only  ${b.toFixed(0).padStart(7)} ms   (runs: ${r.bare.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`  ratio: ${(o / b).toFixed(2)}x   (goal <= 1.2x)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  printSmokeBench(Number(process.env.BENCH_SMOKE_SERVICES ?? 3), Number(process.env.BENCH_SMOKE_DURATION ?? 5), Number(process.env.BENCH_RUNS ?? 3));
}
