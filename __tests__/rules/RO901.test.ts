import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { expectFinding, findingsOf, dockerfile } from '../helpers.js';
import { parseDockerfile, setDockerfileFastPath } from '../../src/core/parse/dockerfile.js';
import { buildImage } from '../../src/core/model/image.js';

test('RO901 on unparseable YAML, with its line and column, and no crash', async () => {
  const f = await expectFinding({ 'compose.yaml': 'services:\n  api:\n    build: [.\n    image: x\n' }, 'RO901');
  assert.equal(f.file, 'compose.yaml');
  assert.ok(f.line >= 3, `line ${f.line}`);
});

test('RO901 on a compose file whose root is not a mapping, and on services as a list', async () => {
  await expectFinding({ 'compose.yaml': '- a\n- b\n' }, 'RO901', 'compose.yaml:1:1');
  await expectFinding({ 'compose.yaml': 'services:\n  - api\n' }, 'RO901', 'compose.yaml:1:1');
});

test('RO901 on duplicate keys', async () => {
  await expectFinding({ 'compose.yaml': 'services:\n  api:\n    image: a\n    image: b\n' }, 'RO901');
});

test('RO901 on a YAML alias bomb, bounded', async () => {
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 0; i < 8; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
  const f = await expectFinding({ 'compose.yaml': bomb.join('\n') + '\nservices: {}\n' }, 'RO901');
  assert.match(f.message, /alias bomb/);
});

test('RO901 on an unknown Dockerfile instruction; broken exec-form JSON is no parse error (Docker runs it as shell form: RO903)', async () => {
  const f = await findingsOf({ Dockerfile: 'FROM python:3.12\nFOOBAR x\nCMD ["uv", "run"\n' }, 'RO901');
  assert.deepEqual(f.map((x) => `${x.line}:${x.column}`), ['2:1']);
});

test('RO901 is not raised on a RUN that starts with the shell test command `[` (shell form, which Docker runs)', async () => {
  const files = { Dockerfile: dockerfile('RUN [ -z "$EXTRA" ] || uv pip install --compile-bytecode "$EXTRA"\nRUN [ "$A" = "a,b" ] && uv sync --locked --no-dev --no-editable --compile-bytecode') };
  assert.deepEqual(await findingsOf(files, 'RO901'), []);
  assert.deepEqual(await findingsOf(files, 'RO903'), []);
  // The RUN is analysed as shell: the uv sync in it is seen (and satisfies every flag rule).
  assert.deepEqual((await findingsOf(files)).filter((f) => f.ruleId.startsWith('UV10')), []);
  const unlocked = await findingsOf({ Dockerfile: dockerfile('RUN [ -f x ] || uv sync --no-dev') }, 'UV101');
  assert.equal(unlocked.length, 1);
});

for (const [label, run] of [
  ['A="--a --b=c" true', 'RUN A="--a --b=c" true'],
  ['NODE_OPTIONS="--no-deprecation --disable-warning=X" npm install', 'RUN NODE_OPTIONS="--no-deprecation --disable-warning=X" npm install'],
  ['a flag after it', 'RUN --mount=type=cache,target=/root/.cache A="--a --b=c" true'],
] as const) {
  test(`RO901 is not raised on an assignment prefix whose quoted value holds --x=y (${label}), on both Dockerfile parser paths`, async () => {
    for (const fast of [true, false]) {
      setDockerfileFastPath(fast);
      try {
        assert.deepEqual(await findingsOf({ Dockerfile: dockerfile(run) }, 'RO901'), [], `fast path ${fast}`);
        // The command after the prefix is read, with the prefix as its assignment.
        const img = buildImage(parseDockerfile('Dockerfile', `FROM x\n${run} && uv sync\n`));
        const cmds = img.stages[0]!.runs[0]!.commands;
        assert.equal(img.stages[0]!.runs[0]!.shellError, undefined);
        assert.equal(cmds.length, 2, `fast path ${fast}`);
        assert.equal([...cmds[0]!.assigns.values()][0]!.value?.includes('=') ?? false, true);
        assert.deepEqual(cmds[1]!.words.map((w) => w.text), ['uv', 'sync']);
        if (run.includes('--mount')) assert.deepEqual(img.stages[0]!.runs[0]!.mounts, [{ type: 'cache', target: '/root/.cache' }]);
      } finally {
        setDockerfileFastPath(true);
      }
    }
  });
}

test('RO901 on a shell syntax error in an entrypoint script, at its line', async () => {
  const files = {
    Dockerfile: dockerfile('COPY entrypoint.sh /entrypoint.sh', 'ENTRYPOINT ["/entrypoint.sh"]'),
    'entrypoint.sh': '#!/bin/sh\nif true; then\n  echo "unterminated\n',
  };
  const f = await expectFinding(files, 'RO901');
  assert.equal(f.file, 'entrypoint.sh');
});

test('RO901 on a binary file named Dockerfile', async () => {
  const f = await expectFinding({ Dockerfile: 'FROM x\0\0\0' }, 'RO901', 'Dockerfile:1:1');
  assert.match(f.message, /binary/);
});

test('RO901 on an empty compose file (docker compose: "empty compose file"); an override with nothing but comments is accepted, as compose accepts it', async () => {
  const f = await expectFinding({ 'compose.yaml': '' }, 'RO901', 'compose.yaml:1:1');
  assert.match(f.message, /empty compose file/);
  await expectFinding({ 'compose.yaml': '# nothing yet\n\n' }, 'RO901', 'compose.yaml:1:1');
  const base = { Dockerfile: dockerfile(''), 'compose.yaml': 'services:\n  api:\n    build: .\n' };
  assert.deepEqual(await findingsOf({ ...base, 'compose.override.yaml': '# local changes go here\n' }, 'RO901'), []);
  assert.deepEqual(await findingsOf({ ...base, 'compose.override.yaml': '' }, 'RO901'), []);
  // A document marker alone is not a mapping: compose says "Top-level object must be a mapping".
  const marker = await expectFinding({ ...base, 'compose.override.yaml': '---\n' }, 'RO901');
  assert.equal(marker.file, 'compose.override.yaml');
  assert.match(marker.message, /must be a mapping at the top level/);
});

test('RO901 on a compose file without a services key: nothing to run', async () => {
  const f = await expectFinding({ 'compose.yaml': 'version: "3.8"\nvolumes:\n  data: {}\n' }, 'RO901', 'compose.yaml:1:1');
  assert.match(f.message, /no "services" key/);
  // A file that includes others has its services there.
  assert.deepEqual(await findingsOf({ 'compose.yaml': 'include:\n  - other/compose.yaml\n', 'other/compose.yaml': 'services:\n  db:\n    image: postgres:16\n' }, 'RO901'), []);
});

test('RO901 on the legacy v1 layout (services at the top level), at each service key', async () => {
  const fs = await findingsOf({ 'docker-compose.yml': 'web:\n  build: .\n  command: uv run app\nredis:\n  image: redis:7\n' }, 'RO901');
  assert.deepEqual(fs.map((f) => `${f.line}:${f.column}`), ['1:1', '4:1']);
  assert.match(fs[0]!.message, /Additional property web is not allowed at the top level: "web" is a service of the version 1 layout/);
  // Other unknown top-level keys are refused too; x- extension keys are not.
  const g = await expectFinding({ 'compose.yaml': 'x-common: &c\n  image: a\nservices:\n  api:\n    image: a\nservice:\n  api: {}\n' }, 'RO901', 'compose.yaml:6:1');
  assert.match(g.message, /Additional property service is not allowed/);
});

test('RO901 on a service that is a string or a list instead of a mapping, at its key', async () => {
  const f = await expectFinding({ 'compose.yaml': 'services:\n  api:\n    image: a\n  web: nginx:1.27\n' }, 'RO901', 'compose.yaml:4:3');
  assert.match(f.message, /services\.web must be a mapping, found a string/);
  await expectFinding({ 'compose.yaml': 'services:\n  web:\n    - image: nginx\n' }, 'RO901', 'compose.yaml:2:3');
});

test('RO901 on a complex YAML key (a list or mapping as a key), at the key', async () => {
  const f = await expectFinding({ 'compose.yaml': 'services:\n  ? [api, web]\n  : image: a\n' }, 'RO901', 'compose.yaml:2:5');
  assert.match(f.message, /a mapping key must be a string, found a list/);
  await expectFinding({ 'compose.yaml': 'services:\n  api:\n    environment:\n      {A: 1}: x\n' }, 'RO901', 'compose.yaml:4:7');
});
