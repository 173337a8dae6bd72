/** Generates a deterministic synthetic monorepo of N uv services (a mix of good and bad settings). */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * `libraries`: every Dockerfile also has a heredoc, every entrypoint script a `case` statement and every compose file
 * an anchor and a merge key, beyond the fast paths, so that dockerfile-ast, mvdan-sh and `yaml` parse them all.
 */
export function generate(dir: string, n: number, opts: { libraries?: boolean } = {}): void {
  fs.rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < n; i++) {
    const d = path.join(dir, 'services', `svc${String(i).padStart(5, '0')}`);
    fs.mkdirSync(d, { recursive: true });
    const good = i % 3 !== 0;
    const uid = 1000 + (i % 7);
    fs.writeFileSync(
      path.join(d, 'Dockerfile'),
      `ARG UV_VERSION=0.12.${i % 9}
FROM ghcr.io/astral-sh/uv:\${UV_VERSION} AS uv
FROM python:3.12-slim-bookworm AS builder
COPY --from=uv /uv /uvx /bin/
ENV UV_LINK_MODE=copy${good ? ' UV_COMPILE_BYTECODE=1' : ''}
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \\
    uv sync ${good ? '--locked --no-dev' : ''} --no-install-project
COPY . .
RUN uv sync ${good ? '--locked --no-dev --no-editable' : ''}
${opts.libraries ? 'RUN <<EOF\nset -e\nuv pip list > /dev/null\nEOF\n' : ''}
FROM python:3.12-slim-bookworm
COPY --from=uv /uv /uvx /bin/
RUN groupadd --gid ${uid} app && useradd --uid ${uid} --gid ${uid} --create-home app
${good ? 'ENV PYTHONDONTWRITEBYTECODE=1 UV_NO_SYNC=1' : ''}
WORKDIR /app
COPY --from=builder --chown=app:app /app /app
COPY entrypoint.sh /entrypoint.sh
USER app
ENTRYPOINT ["/entrypoint.sh"]
CMD ["uv", "run", "uvicorn", "app.main:app"]
`,
    );
    fs.writeFileSync(path.join(d, 'entrypoint.sh'), `#!/bin/sh\nset -e\n${opts.libraries ? 'case "$1" in\n  shell) exec sh ;;\nesac\n' : ''}if [ -n "$MIGRATE" ]; then\n  uv run ${good ? '--no-sync ' : ''}alembic upgrade head\nfi\nexec "$@"\n`);
    fs.writeFileSync(path.join(d, '.dockerignore'), good ? '.venv\n__pycache__\n' : '__pycache__\n');
    fs.writeFileSync(path.join(d, 'uv.lock'), 'version = 1\n');
    fs.writeFileSync(path.join(d, 'pyproject.toml'), `[project]\nname = "svc${i}"\nversion = "0.1.0"\n`);
    fs.writeFileSync(
      path.join(d, 'compose.yaml'),
      `${opts.libraries ? 'x-defaults: &defaults\n  restart: unless-stopped\n' : ''}services:
  svc${i}:
${opts.libraries ? '    <<: *defaults\n' : ''}    build: .
    read_only: ${good}
    tmpfs:
      - "/home/app/.cache:uid=${good ? uid : 1000},gid=${uid}"
${good ? '    cap_drop: [ALL]\n    security_opt: ["no-new-privileges:true"]\n' : ''}    environment:
      LOG_LEVEL: info
`,
    );
  }
}

if (process.argv[1]?.endsWith('generate.js')) {
  generate(process.argv[2] ?? 'bench-repo', Number(process.argv[3] ?? 1000));
}
