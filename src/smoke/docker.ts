/** Every docker call: an argument array (never a shell string), a timeout, stderr kept, and cancellable. */
import { spawn } from 'node:child_process';

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface DockerOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Keep only the last this many characters of each stream. */
  maxOutput?: number;
  env?: NodeJS.ProcessEnv;
}

export const RUN_LABEL_KEY = 'ro-uv-check.run';
/** The repository of the images a smoke test builds, tagged `<run id>-<n>`. */
export const SMOKE_IMAGE = 'ro-uv-check-smoke';

/** The label every container, volume and image of one run carries. */
export function runLabel(runId: string): string {
  return `${RUN_LABEL_KEY}=${runId}`;
}

export function dockerBinary(): string {
  return process.env.RO_UV_CHECK_DOCKER || 'docker';
}

export function docker(args: string[], opts: DockerOptions): Promise<DockerResult> {
  return runProgram(dockerBinary(), args, opts);
}

/** The one process runner of the smoke test (docker, and docker-compose v1 where it is its own program). */
export function runProgram(binary: string, args: string[], opts: DockerOptions): Promise<DockerResult> {
  const max = opts.maxOutput ?? 256 * 1024;
  return new Promise((resolve) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const keep = (s: string, d: Buffer): string => {
      const t = s + d.toString('utf8');
      return t.length > max ? t.slice(t.length - max) : t;
    };
    child.stdout.on('data', (d: Buffer) => (stdout = keep(stdout, d)));
    child.stderr.on('data', (d: Buffer) => (stderr = keep(stderr, d)));
    const kill = (): void => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs);
    const onAbort = (): void => kill();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) kill(); // cancelled before it started: an abort event will not come again
    child.on('error', (e) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ code: 127, stdout, stderr: `${stderr}${e.message}`, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ code: code ?? 1, stdout, stderr, timedOut });
    });
  });
}

/** What the engine and client can do, asked once per run. */
export interface EngineCaps {
  /** The client builds with BuildKit: buildx is installed, or a client before 23.0 has it built in (DOCKER_BUILDKIT=1). */
  buildkit: boolean;
  /** The engine has its default bridge network (dockerd --bridge=none has not): BuildKit's RUN steps use it. */
  bridge: boolean;
}

export async function engineCaps(signal?: AbortSignal): Promise<EngineCaps> {
  const t = { timeoutMs: 20_000, ...(signal ? { signal } : {}) };
  const [buildx, client, bridge] = await Promise.all([
    docker(['buildx', 'version'], t),
    docker(['version', '--format', '{{.Client.Version}}'], t),
    docker(['network', 'inspect', '--format', '{{.Name}}', 'bridge'], t),
  ]);
  const major = Number(/^(\d+)\./.exec(client.stdout.trim())?.[1] ?? 'NaN');
  return { buildkit: buildx.code === 0 || (major >= 18 && major < 23), bridge: bridge.code === 0 };
}

/**
 * Removes what a compose project left (by compose's own project label): containers with their anonymous volumes,
 * networks, volumes. Compose itself is not needed (its files may be gone): the action's post step uses this.
 */
export async function removeComposeProject(project: string): Promise<string[]> {
  return removeByFilter(`label=com.docker.compose.project=${project}`, true);
}

/**
 * Removes everything carrying this run's label: containers (with their anonymous volumes), networks, volumes,
 * images. Compose projects of the run carry it too (on containers, networks, volumes and built images).
 */
export async function removeLabelled(label: string, opts: { keepImages?: boolean } = {}): Promise<string[]> {
  return removeByFilter(`label=${label}`, Boolean(opts.keepImages));
}

async function removeByFilter(filter: string, keepImages: boolean): Promise<string[]> {
  const removed: string[] = [];
  const t = { timeoutMs: 60_000 };
  const ids = async (args: string[]): Promise<string[]> => (await docker(args, t)).stdout.split('\n').map((s) => s.trim()).filter(Boolean);
  const containers = await ids(['ps', '-aq', '--filter', filter]);
  if (containers.length) {
    await docker(['rm', '-f', '-v', ...containers], t);
    removed.push(...containers.map((c) => `container ${c}`));
  }
  // With the containers gone, networks, volumes and images are independent of each other.
  await Promise.all([
    (async () => {
      const networks = await ids(['network', 'ls', '-q', '--filter', filter]);
      if (networks.length) {
        await docker(['network', 'rm', ...networks], t);
        removed.push(...networks.map((n) => `network ${n}`));
      }
    })(),
    (async () => {
      const volumes = await ids(['volume', 'ls', '-q', '--filter', filter]);
      if (volumes.length) {
        await docker(['volume', 'rm', '-f', ...volumes], t);
        removed.push(...volumes.map((v) => `volume ${v}`));
      }
    })(),
    (async () => {
      if (keepImages) return;
      const images = await ids(['image', 'ls', '-q', '--filter', filter]);
      if (images.length) {
        await docker(['image', 'rm', '-f', ...new Set(images)], t);
        removed.push(...images.map((i) => `image ${i}`));
      }
      // Images compose built under the run's tags (no label: see compose.ts): removed by name, so that an image
      // another tag also names (the same cached build of an earlier run or another job) only loses this run's tag.
      const runId = filter.startsWith(`label=${RUN_LABEL_KEY}=`) ? filter.slice(`label=${RUN_LABEL_KEY}=`.length) : undefined;
      if (!runId) return;
      const tags = await ids(['image', 'ls', '--filter', `reference=${SMOKE_IMAGE}:${runId}-*`, '--format', '{{.Repository}}:{{.Tag}}']);
      if (tags.length) {
        await docker(['image', 'rm', '-f', ...new Set(tags)], t);
        removed.push(...tags.map((i) => `image ${i}`));
      }
    })(),
  ]);
  return removed;
}
