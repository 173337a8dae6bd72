import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { findingsOf, dockerfile } from '../helpers.js';
import { RULES } from '../../src/core/rules/index.js';
import { FAMILY_REACH } from '../../src/core/model/scope.js';

const ALL = { '.ro-uv-check.yml': 'scope: all\n' };
const ids = (fs: { ruleId: string }[]): string[] => [...new Set(fs.map((f) => f.ruleId))].sort();

/** A node frontend built by compose beside a uv API: the frontend copies its whole context with no .dockerignore. */
const stack = {
  'api/Dockerfile': dockerfile('COPY . .\nRUN uv sync --locked --no-editable --no-dev --compile-bytecode'),
  'api/.dockerignore': '.venv\n',
  'api/uv.lock': '',
  'web/Dockerfile': 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
  'web/entrypoint.sh': '#!/bin/sh\nnode server.js\n',
  'compose.yaml': 'services:\n  api:\n    build: ./api\n  web:\n    build: ./web\n    volumes:\n      - ./web:/app\n  proxy:\n    image: nginx:1.27\n  db:\n    image: postgres:16\n    env_file: db.env\n',
};

test('every rule family has a scope decision', () => {
  for (const r of RULES) assert.ok(FAMILY_REACH[r.id.slice(0, 2)], `${r.id} has no family in FAMILY_REACH`);
});

test('scope: uv, Python and entrypoint rules never look at images or services that do not use uv (node, nginx, postgres)', async () => {
  for (const config of [{}, ALL]) {
    const fs = await findingsOf({ ...stack, ...config });
    const notApi = fs.filter((f) => !f.file.startsWith('api/') && !/service "api"/.test(f.message) && !(f.file === 'compose.yaml' && f.line <= 3));
    const families = notApi.map((f) => f.ruleId.slice(0, 2));
    for (const fam of ['UV', 'PY', 'EP']) assert.ok(!families.includes(fam), `${fam} rule on a non-uv image or service: ${JSON.stringify(notApi, null, 1)}`);
    // The uv API is still judged (its image runs as appuser; the service is not hardened).
    assert.ok(fs.some((f) => f.ruleId === 'CT402' && f.line === 2), JSON.stringify(fs, null, 1));
  }
});

test('scope: without `scope: all` the non-uv services get no finding at all (RO902 on postgres\'s env_file included)', async () => {
  const fs = await findingsOf(stack);
  const other = fs.filter((f) => f.file.startsWith('web/') || (f.file === 'compose.yaml' && f.line > 3));
  assert.deepEqual(other, []);
  // A uv service's missing env_file is still reported.
  const withEnv = { ...stack, 'compose.yaml': stack['compose.yaml'].replace('    build: ./api\n', '    build: ./api\n    env_file: api.env\n') };
  const ro = (await findingsOf(withEnv)).filter((f) => f.ruleId === 'RO902');
  assert.deepEqual(ro.map((f) => f.message), ['service "api": env_file api.env does not exist']);
});

test('scope: all extends the hardening rules (CT4xx) to every image and service, and only those', async () => {
  const fs = await findingsOf({ ...stack, ...ALL });
  const web = fs.filter((f) => f.file.startsWith('web/') || /service "(web|proxy|db)"/.test(f.message));
  assert.ok(web.length > 0);
  for (const f of web) assert.ok(/^(CT4|RO9)/.test(f.ruleId), `${f.ruleId} on a non-uv image: ${f.message}`);
  // CT401 on the node image (it runs as root), CT402 on nginx.
  assert.ok(fs.some((f) => f.ruleId === 'CT401' && f.file === 'web/Dockerfile'));
  assert.ok(fs.some((f) => f.ruleId === 'CT402' && /service "proxy"/.test(f.message)));
  // No PY301 on nginx or node ("does not set PYTHONDONTWRITEBYTECODE").
  assert.deepEqual(fs.filter((f) => f.ruleId === 'PY301'), []);
});

test('scope: a Dockerfile found on its own that does not use uv gets no uv rule under scope: all (UV107 on a node Dockerfile)', async () => {
  const files = { Dockerfile: 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n', ...ALL };
  assert.deepEqual(ids(await findingsOf(files)), ['CT401']);
  assert.deepEqual(ids(await findingsOf({ Dockerfile: files.Dockerfile })), []);
  // The same Dockerfile with uv in it gets UV107.
  const uv = { Dockerfile: 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/uv\nWORKDIR /app\nCOPY . .\nCMD ["python", "app.py"]\n' };
  assert.ok(ids(await findingsOf(uv)).includes('UV107'));
});

test('scope: a build target that does not use uv is out of scope even when another stage of its Dockerfile does', async () => {
  const df = 'FROM node:22-slim AS web\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n\nFROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim AS api\nRUN useradd -u 1001 app\nENV PYTHONDONTWRITEBYTECODE=1\nUSER app\nCMD ["python", "-m", "app"]\n';
  const compose = 'services:\n  web:\n    build:\n      context: .\n      target: web\n';
  const fs = await findingsOf({ Dockerfile: df, '.dockerignore': '.venv\n', 'compose.yaml': compose });
  assert.deepEqual(fs.filter((f) => /service "web"/.test(f.message) || (f.file === 'compose.yaml')), []);
});

test('Python rules need a Python runtime: a node service whose image has uv for build-time tooling gets no PY301, UV103, UV102', async () => {
  const df = (cmd: string): string => `FROM node:24\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/uv\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen\nCOPY . .\nUSER node\nCMD ${cmd}\n`;
  const files = (cmd: string): Record<string, string> => ({ Dockerfile: df(cmd), 'pyproject.toml': '[project]\nname = "t"\nversion = "1"\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n', 'uv.lock': 'version = 1\n', 'main.js': '', '.dockerignore': '.venv\n' });
  const node = await findingsOf(files('["node", "main.js"]'));
  assert.deepEqual(node.filter((f) => ['PY301', 'UV103', 'UV102'].includes(f.ruleId)), []);
  // What the build does is still judged (UV101 needs nothing at run time): here --frozen, so nothing.
  const pnpm = await findingsOf(files('["pnpm", "run", "start"]'));
  assert.deepEqual(pnpm.filter((f) => f.ruleId.startsWith('PY')), []);
  // The same image starting Python (or uv) is judged.
  for (const cmd of ['["python", "-m", "app"]', '["/app/.venv/bin/app"]', '["uv", "run", "--no-sync", "app"]']) {
    const py = await findingsOf(files(cmd));
    assert.deepEqual(py.filter((f) => ['PY301', 'UV103', 'UV102'].includes(f.ruleId)).map((f) => f.ruleId).sort(), ['PY301', 'UV102', 'UV103'], cmd);
  }
});
