import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { analyzeRepo, dockerfile } from '../helpers.js';

const at = (r: Awaited<ReturnType<typeof analyzeRepo>>, ruleId: string): string[] =>
  r.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`);
const runtimeOf = (r: Awaited<ReturnType<typeof analyzeRepo>>, name: string) => r.project.services.find((s) => s.service.name === name)!;

test('extends in the same file: the service builds, hardens and runs as its base does; its own keys win', async () => {
  const r = await analyzeRepo({
    Dockerfile: dockerfile('RUN uv sync --locked --no-dev --no-editable --compile-bytecode'),
    'uv.lock': 'version = 1\n',
    'compose.yaml': [
      'services:',
      '  base:',
      '    build: .',
      '    read_only: true',
      '    tmpfs: ["/home/appuser/.cache:uid=1001,gid=1001"]',
      '    cap_drop: [ALL]',
      '    security_opt: ["no-new-privileges:true"]',
      '  worker:',
      '    extends: base',
      '    command: ["uv", "run", "celery", "worker"]',
      '  loose:',
      '    extends:',
      '      service: worker',
      '    read_only: false',
      '',
    ].join('\n'),
  });
  const worker = runtimeOf(r, 'worker');
  assert.equal(worker.runtime?.readOnly, true);
  assert.equal(worker.runtime?.user.name, 'appuser');
  assert.deepEqual(worker.runtime?.commands[0]?.words.map((w) => w.text), ['uv', 'run', 'celery', 'worker']);
  // Inherited hardening: nothing to report for worker; loose overrides read_only and is told so at its own key.
  assert.deepEqual(at(r, 'CT402'), ['compose.yaml:14:5 service "loose" does not set `read_only: true`']);
  assert.deepEqual(at(r, 'CT403'), []);
  assert.deepEqual(at(r, 'UV201').map((x) => x.split(' ')[0]), ['compose.yaml:10:15', 'compose.yaml:10:15']);
  assert.deepEqual(r.findings.filter((f) => f.ruleId === 'RO902'), []);
});

test('extends from a file in another folder: its build context and env_file stay relative to that folder', async () => {
  const r = await analyzeRepo({
    'common/Dockerfile': dockerfile('RUN uv sync --locked --no-dev --no-editable --compile-bytecode'),
    'common/uv.lock': 'version = 1\n',
    'common/app.env': 'UV_NO_SYNC=1\n',
    'common/services.yml': 'services:\n  app:\n    build: .\n    env_file: app.env\n    read_only: true\n    depends_on: [db]\n',
    'deploy/compose.yaml': 'services:\n  api:\n    extends:\n      file: ../common/services.yml\n      service: app\n    command: ["uv", "run", "api"]\n',
  });
  const api = runtimeOf(r, 'api');
  assert.equal(api.runtime?.image?.file, 'common/Dockerfile');
  assert.equal(api.runtime?.env.get('UV_NO_SYNC')?.value, '1');
  assert.equal(api.service.node.entries.has('depends_on'), false, 'depends_on is never inherited');
  assert.deepEqual(at(r, 'UV201'), [], 'UV_NO_SYNC from the base env_file applies');
  assert.deepEqual(r.findings.filter((f) => f.ruleId === 'RO902' || f.ruleId === 'RO901'), []);
});

test('extends that cannot be followed is RO902 at the reference, and the service keeps its own keys', async () => {
  const r = await analyzeRepo({
    'compose.yaml': [
      'services:',
      '  a:',
      '    extends: nosuch',
      '    image: x',
      '  b:',
      '    extends: c',
      '  c:',
      '    extends: b',
      '  d:',
      '    extends:',
      '      file: ../../outside.yml',
      '      service: x',
      '  e:',
      '    extends: {file: broken.yml, service: x}',
      '  f:',
      '    extends: {file: missing.yml, service: x}',
      '',
    ].join('\n'),
    'broken.yml': 'services: [\n',
  });
  assert.deepEqual(at(r, 'RO902'), [
    'compose.yaml:3:14 `extends`: there is no service "nosuch" in compose.yaml',
    'compose.yaml:6:14 `extends` goes round in a circle (b → c → b): compose refuses this file',
    'compose.yaml:8:14 `extends` goes round in a circle (c → b → c): compose refuses this file',
    'compose.yaml:11:13 `extends` names ../../outside.yml, outside the scanned root: service "x" is not analysed here',
    'compose.yaml:16:21 `extends` names missing.yml, which does not exist',
  ]);
  assert.equal(at(r, 'RO901').length, 1);
  assert.match(at(r, 'RO901')[0]!, /^broken\.yml:/);
  assert.equal(runtimeOf(r, 'a').service.image?.value, 'x');
});

test('long extends chains: 3,000 links written base-first are followed; written base-last, cut at 1,000 and reported', async () => {
  const chain = (n: number, baseLast: boolean): string => {
    const lines = ['services:'];
    for (let i = 0; i < n; i++) lines.push(`  s${i}:`, i === (baseLast ? n - 1 : 0) ? '    image: x\n    read_only: true' : `    extends: s${baseLast ? i + 1 : i - 1}`);
    return lines.join('\n') + '\n';
  };
  const forward = await analyzeRepo({ 'compose.yaml': chain(3000, false) });
  assert.equal(runtimeOf(forward, 's2999').runtime?.readOnly, true);
  assert.deepEqual(at(forward, 'RO902'), []);
  const backward = await analyzeRepo({ 'compose.yaml': chain(3000, true) });
  const cut = at(backward, 'RO902');
  assert.ok(cut.length > 0 && cut.every((x) => /chain longer than 1,000 services: not followed further/.test(x)), cut.slice(0, 3).join('\n'));
  assert.equal(runtimeOf(backward, 's2500').runtime?.readOnly, true);
});

test('extends is applied in each file before the overrides are merged, as compose does', async () => {
  const r = await analyzeRepo({
    Dockerfile: dockerfile('RUN uv sync --locked --no-dev --no-editable --compile-bytecode'),
    'compose.yaml': 'services:\n  api:\n    build: .\n    read_only: false\n  worker:\n    extends: api\n',
    'compose.prod.yaml': 'services:\n  api:\n    read_only: true\n',
  });
  assert.equal(runtimeOf(r, 'api').runtime?.readOnly, true);
  assert.equal(runtimeOf(r, 'worker').runtime?.readOnly, false, 'the override of api does not reach worker');
});
