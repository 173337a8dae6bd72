import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { parseCompose, mergeNodes, parseDotenv, type PMap, type ComposeParse } from '../../src/core/parse/compose.js';
import { composeOf } from '../../src/core/model/project.js';
import { LineIndex } from '../../src/core/text.js';
import { readServices } from '../../src/core/model/service.js';
import { analyzeRepo } from '../helpers.js';

const services = (text: string, vars: Record<string, string> = {}) => {
  const p = parseCompose('compose.yaml', text, (n) => vars[n]);
  assert.equal(p.error, undefined, p.error?.message);
  return readServices(p.root!, '/repo');
};

test('interpolation: ${VAR}, ${VAR:-default}, $$ and unset variables', () => {
  const [s] = services('services:\n  a:\n    user: "${UID:-1001}:${GID}"\n    environment:\n      X: "$$HOME"\n      Y: ${NAME}\n', { NAME: 'n' });
  assert.equal(s!.user!.value, '1001:');
  assert.equal(s!.environment.get('X')!.value, '$HOME');
  assert.equal(s!.environment.get('Y')!.value, 'n');
});

test('the .env beside the compose file feeds interpolation', async () => {
  const r = await analyzeRepo({ 'compose.yaml': 'services:\n  a:\n    image: x\n    user: "${RUNAS}"\n    command: ["uv", "run", "app"]\n', '.env': 'RUNAS=0\n' });
  assert.ok(r.findings.some((f) => f.ruleId === 'CT406'), JSON.stringify(r.findings));
});

test('tmpfs and volumes: short and long syntax', () => {
  const [s] = services(`services:
  a:
    tmpfs: /run
    volumes:
      - ./src:/app/src:ro
      - data:/data
      - type: tmpfs
        target: /cache
        tmpfs: {mode: 1777}
      - /anon
`);
  assert.deepEqual(s!.tmpfs.map((m) => [m.target, m.mode]), [['/run', undefined], ['/cache', 0o1777]]);
  assert.deepEqual(s!.volumes.map((m) => [m.type, m.target, m.readOnly, m.source]), [
    ['bind', '/app/src', true, '/repo/src'],
    ['volume', '/data', false, 'data'],
    ['volume', '/anon', false, undefined],
  ]);
});

test('override files merge by compose rules: scalars replaced, env merged, mounts by target, command replaced', () => {
  const base = parseCompose('compose.yaml', 'services:\n  a:\n    command: ["a"]\n    environment: [A=1, B=2]\n    tmpfs: ["/tmp:mode=700"]\n    cap_drop: [NET_RAW]\n', () => undefined).root!;
  const over = parseCompose('compose.override.yaml', 'services:\n  a:\n    command: ["b"]\n    environment: {B: "3"}\n    tmpfs: ["/tmp", "/run"]\n    cap_drop: [ALL]\n', () => undefined).root!;
  const [s] = readServices(mergeNodes(base, over) as PMap, '/r');
  assert.deepEqual(s!.command!.words.map((w) => w.text), ['b']);
  assert.equal(s!.command!.loc.file, 'compose.override.yaml');
  assert.deepEqual([...s!.environment].map(([k, v]) => [k, v.value]), [['A', '1'], ['B', '3']]);
  assert.deepEqual(s!.tmpfs.map((m) => [m.target, m.mode]), [['/tmp', undefined], ['/run', undefined]]);
  assert.deepEqual(s!.capDrop.map((c) => c.value), ['NET_RAW', 'ALL']);
});

test('dotenv parsing', () => {
  const env = parseDotenv('# c\nexport A=1\nB="x y" \nC=\'$raw\'\nD=v # comment\nbad line\n');
  assert.deepEqual([...env].map(([k, v]) => [k, v.value]), [['A', '1'], ['B', 'x y'], ['C', '$raw'], ['D', 'v']]);
});

test('YAML errors carry line and column', () => {
  const p = parseCompose('c.yml', 'a: 1\nb: [\n', () => undefined);
  assert.ok(p.error);
  assert.equal(p.error!.loc.file, 'c.yml');
  assert.ok(p.error!.loc.line >= 2);
});

test('tabs in indentation are a YAML error, not a crash', () => {
  const p = parseCompose('c.yml', 'services:\n\tapi:\n\t\timage: x\n', () => undefined);
  assert.ok(p.error);
});

test('composeOf: an index that follows the list as it grows (first entry of a file wins), without rebuilding', () => {
  const c = (file: string, n: number): ComposeParse => ({ file, text: String(n), lines: new LineIndex(''), keyRanges: [] });
  const project: { composes: ComposeParse[] } = { composes: [] };
  assert.equal(composeOf(project, 'a.yml'), undefined);
  project.composes.push(c('a.yml', 1));
  assert.equal(composeOf(project, 'a.yml')?.text, '1');
  project.composes.push(c('b.yml', 2), c('a.yml', 3));
  assert.deepEqual([composeOf(project, 'a.yml')?.text, composeOf(project, 'b.yml')?.text, composeOf(project, 'c.yml')], ['1', '2', undefined]);
});
