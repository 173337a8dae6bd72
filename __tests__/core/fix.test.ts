import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { applyEdits, insertAfter } from '../../src/core/fix.js';
import { analyze } from '../../src/core/engine.js';
import { toSarif } from '../../src/report/sarif.js';
import { writeRepo, PROJECT_ROOT, dockerfile } from '../helpers.js';

const CLI = path.join(PROJECT_ROOT, 'dist', 'cli', 'index.js');
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

test('applyEdits keeps CRLF and the BOM, skips stale anchors, keeps rule order at one position', () => {
  const raw = '\uFEFFFROM x\r\nRUN uv sync\r\n';
  const r = applyEdits(raw, [insertAfter('D', 2, 12, 'sync', ' --locked'), insertAfter('D', 2, 12, 'sync', ' --no-dev'), insertAfter('D', 1, 7, 'FROM x', '\nENV A=1'), insertAfter('D', 2, 4, 'XXX', 'never')]);
  assert.equal(r.text, '\uFEFFFROM x\r\nENV A=1\r\nRUN uv sync --locked --no-dev\r\n');
  assert.equal(r.applied.length, 3);
  assert.deepEqual(r.skipped.map((s) => s.reason), ['the fix expects "XXX" right before this spot but the file has "RUN" (changed since it was read?): left alone']);
});

test('--fix on seed-before: the expected files, byte for byte; the fixed findings are gone; a second run changes nothing', () => {
  const dir = writeRepo({});
  fs.cpSync(path.join(PROJECT_ROOT, 'examples', 'seed-before'), dir, { recursive: true });
  const dryRun = cli([dir, '--fix', '--dry-run']);
  assert.match(dryRun.stdout, /^\+RUN uv sync --locked --no-editable --compile-bytecode --no-dev$/m);
  assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'seed-before', 'Dockerfile'), 'utf8'), 'dry run writes nothing');

  const r = cli([dir, '--fix', '--format', 'json']);
  assert.match(r.stderr, /applied 9 fixes in 2 files/);
  const before = fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'seed-before', 'Dockerfile'), 'utf8');
  const expected = before
    .replace('python3.12-bookworm-slim\n', 'python3.12-bookworm-slim\nENV PYTHONDONTWRITEBYTECODE=1\n')
    .replace('RUN uv sync\n', 'RUN uv sync --locked --no-editable --compile-bytecode --no-dev\n')
    .replace('"uv", "run", "uvicorn"', '"uv", "run", "--no-sync", "uvicorn"');
  assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), expected);
  assert.equal(
    fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'),
    'services:\n  api:\n    cap_drop: [ALL]\n    security_opt: ["no-new-privileges:true"]\n    tmpfs: ["/root/.cache"]\n    build: .\n    ports:\n      - "8000:8000"\n    read_only: true\n',
  );
  const remaining = JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId);
  assert.deepEqual(remaining.sort(), ['CT401', 'UV106', 'UV204'], 'only findings without a mechanical fix remain, and no RO901');
  const again = cli([dir, '--fix', '--dry-run']);
  assert.equal(again.stdout, '');
  assert.match(again.stderr, /0 fixes in 0 files/);
});

test('compose edits follow the layout: block lists, flow lists, read_only false; flow-style services and merged keys get none', async () => {
  const dir = writeRepo({
    Dockerfile: dockerfile(''),
    'compose.yaml': [
      'x-base: &base',
      '  cap_drop: [NET_RAW]',
      'services:',
      '  # a comment that stays',
      '  a:',
      '    build: .',
      '    read_only: false',
      '    security_opt:',
      '      - "label:disable"',
      '    cap_drop: [NET_RAW]',
      '  b: {build: ., read_only: true}',
      '  c:',
      '    <<: *base',
      '    build: .',
      '    read_only: true',
      '    security_opt: ["no-new-privileges:true"]',
      '',
    ].join('\n'),
  });
  const r = cli([dir, '--fix']);
  assert.match(r.stderr, /applied \d+ fixes/);
  const after = fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8');
  assert.match(after, /^  # a comment that stays$/m);
  assert.match(after, /^    read_only: true\n    security_opt:\n      - "label:disable"\n      - "no-new-privileges:true"\n    cap_drop: \[ALL, NET_RAW\]$/m);
  assert.match(after, /^  b: \{build: \., read_only: true\}$/m, 'flow-style service untouched');
  assert.match(after, /^x-base: &base\n  cap_drop: \[NET_RAW\]\n/, 'the anchor, shared by other services, is not edited');
  assert.match(after, /^  c:\n    tmpfs: \["\/home\/appuser\/\.cache:uid=1001,gid=1001"\]\n    <<: \*base\n/m);
  // a second pass found what the first revealed: a's read_only: true makes its uv cache need a tmpfs
  assert.match(after, /^  a:\n    tmpfs: \["\/home\/appuser\/\.cache:uid=1001,gid=1001"\]\n    build: \.\n/m);
  const left = (await analyze({ root: dir })).findings.filter((f) => f.severity !== 'notice').map((f) => `${f.ruleId} ${f.message.split(' ').slice(0, 2).join(' ')}`);
  assert.deepEqual(left.sort(), ['CT403 service "b"', 'CT403 service "c"', 'UV203 service "b"'], 'only the flow-style service and the merged key are left');
  assert.equal(cli([dir, '--fix', '--dry-run']).stdout, '', 'a second --fix changes nothing');
});

test('SARIF results carry fixes as artifact changes with replacements', async () => {
  const dir = writeRepo({ Dockerfile: dockerfile('RUN uv sync --no-dev --locked --no-editable') });
  const { findings } = await analyze({ root: dir });
  const sarif = toSarif(findings, 't') as { runs: { results: { ruleId: string; fixes?: { description: { text: string }; artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number }; insertedContent: { text: string } }[] }[] }[] }[] }[] };
  const uv103 = sarif.runs[0]!.results.find((x) => x.ruleId === 'UV103')!;
  assert.deepEqual(uv103.fixes, [{ description: { text: 'add `--compile-bytecode`' }, artifactChanges: [{ artifactLocation: { uri: 'Dockerfile', uriBaseId: '%SRCROOT%' }, replacements: [{ deletedRegion: { startLine: 5, startColumn: 12, endLine: 5, endColumn: 12 }, insertedContent: { text: ' --compile-bytecode' } }] }] }]);
});

test('UV106 pins to the config uv-version; CT405 corrects the tmpfs owner', async () => {
  const { pinnedRef } = await import('../../src/core/rules/UV106.js');
  assert.equal(pinnedRef('ghcr.io/astral-sh/uv', '0.12.5'), 'ghcr.io/astral-sh/uv:0.12.5');
  assert.equal(pinnedRef('ghcr.io/astral-sh/uv:latest', '0.12.5'), 'ghcr.io/astral-sh/uv:0.12.5');
  assert.equal(pinnedRef('ghcr.io/astral-sh/uv:0.12', '0.12.5'), 'ghcr.io/astral-sh/uv:0.12.5');
  assert.equal(pinnedRef('ghcr.io/astral-sh/uv:python3.12-bookworm-slim', '0.12.5'), 'ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim');
  const dir = writeRepo({
    Dockerfile: 'FROM ghcr.io/astral-sh/uv:latest AS uv\nFROM python:3.12\nCOPY --from=ghcr.io/astral-sh/uv:0.12 /uv /bin/\nRUN useradd -u 1001 -m app\nENV PYTHONDONTWRITEBYTECODE=1\nUSER app\n',
    'compose.yaml': 'services:\n  a:\n    build: .\n    read_only: true\n    cap_drop: [ALL]\n    security_opt: ["no-new-privileges:true"]\n    tmpfs:\n      - "/tmp:uid=1000,gid=1000,size=64m"\n',
  });
  const noConfig = cli([dir, '--fix', '--dry-run']);
  assert.doesNotMatch(noConfig.stdout, /astral-sh\/uv:0\.12\.5/, 'no uv-version in the config: no pin');
  fs.writeFileSync(path.join(dir, '.ro-uv-check.yml'), 'uv-version: 0.12.5\n');
  cli([dir, '--fix']);
  assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8').split('\n').slice(0, 3).join('\n'), 'FROM ghcr.io/astral-sh/uv:0.12.5 AS uv\nFROM python:3.12\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /bin/');
  assert.match(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), /^      - "\/tmp:uid=1001,gid=1001,size=64m"$/m);
  const left = (await analyze({ root: dir })).findings.map((f) => f.ruleId);
  assert.ok(!left.includes('UV106') && !left.includes('CT405'), left.join(' '));
});

/** A hardened service (read-only, the uv cache tmpfs, no capabilities) whose only problem is its command. */
const service = (name: string, command: string): string =>
  `  ${name}:\n    build: .\n    read_only: true\n    tmpfs: ["/home/appuser/.cache:uid=1001,gid=1001"]\n    cap_drop: [ALL]\n    security_opt: ["no-new-privileges:true"]\n${command}`;

test('--fix adds --no-sync inside `sh -c` strings of compose list commands (flow and block lists, any quoting, escapes after the spot); where a column inside the string is not the file\'s, it says why and edits nothing', () => {
  const fixable: Record<string, [string, string]> = {
    flowDouble: ['    command: ["sh", "-c", "uv run gunicorn app:app"]\n', '    command: ["sh", "-c", "uv run --no-sync gunicorn app:app"]\n'],
    flowSingle: ["    command: ['sh', '-c', 'exec uv run --locked gunicorn app:app']\n", "    command: ['sh', '-c', 'exec uv run --no-sync --locked gunicorn app:app']\n"],
    flowPlain: ['    command: [sh, -c, uv run app]\n', '    command: [sh, -c, uv run --no-sync app]\n'],
    blockPlain: ['    command:\n      - sh\n      - -c\n      - uv run gunicorn app:app\n', '    command:\n      - sh\n      - -c\n      - uv run --no-sync gunicorn app:app\n'],
    blockDouble: ['    command:\n      - /bin/bash\n      - -ec\n      - "cd /app && uv run app"\n', '    command:\n      - /bin/bash\n      - -ec\n      - "cd /app && uv run --no-sync app"\n'],
    blockLiteral: ['    command:\n      - sh\n      - -c\n      - |\n        set -e\n        exec uv run app\n', '    command:\n      - sh\n      - -c\n      - |\n        set -e\n        exec uv run --no-sync app\n'],
    escapeAfter: ['    command: ["sh", "-c", "uv run app --home \\"$$HOME\\""]\n', '    command: ["sh", "-c", "uv run --no-sync app --home \\"$$HOME\\""]\n'],
    foldedAfter: ['    command:\n      - sh\n      - -c\n      - "uv run\n        app"\n', '    command:\n      - sh\n      - -c\n      - "uv run --no-sync\n        app"\n'],
    healthcheck: [
      '    command: ["uv", "run", "--no-sync", "app"]\n    healthcheck:\n      test: ["CMD", "sh", "-c", "uv run check"]\n',
      '    command: ["uv", "run", "--no-sync", "app"]\n    healthcheck:\n      test: ["CMD", "sh", "-c", "uv run --no-sync check"]\n',
    ],
  };
  const refused: Record<string, [string, RegExp]> = {
    escaped: ['    command: ["sh", "-c", "echo \\"up\\" && uv run app"]\n', /YAML string is written differently from its value .*add `--no-sync` after `uv run` by hand/],
    quotedQuote: ["    command: ['sh', '-c', 'echo ''up'' && uv run app']\n", /YAML string is written differently from its value/],
    dollars: ['    command: ["sh", "-c", "cd $$HOME && uv run app"]\n', /YAML string is written differently from its value/],
    folded: ['    command:\n      - sh\n      - -c\n      - "echo up &&\n        uv run app"\n', /YAML string is written differently from its value/],
    listItem: ['    command: ["uv", "run", "app"]\n', /each item of a compose list command is one argument: add "--no-sync" as an item of its own after "run"/],
  };
  const compose = `services:\n${[...Object.entries(fixable).map(([n, [c]]) => service(n, c)), ...Object.entries(refused).map(([n, [c]]) => service(n, c))].join('')}`;
  const dir = writeRepo({
    Dockerfile: dockerfile(''),
    'compose.yaml': compose,
  });
  const expected = `services:\n${[...Object.entries(fixable).map(([n, [, c]]) => service(n, c)), ...Object.entries(refused).map(([n, [c]]) => service(n, c))].join('')}`;
  const uv201 = (): string[] =>
    JSON.parse(cli([dir, '--format', 'json', '--fail-on', 'never']).stdout)
      .findings.filter((f: { ruleId: string }) => f.ruleId === 'UV201')
      .map((f: { message: string }) => /service "(\w+)"/.exec(f.message)?.[1] ?? f.message)
      .sort();
  assert.deepEqual(uv201(), [...Object.keys(fixable), ...Object.keys(refused)].sort());

  const dry = cli([dir, '--fix', '--dry-run']);
  assert.equal(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), compose, 'the dry run writes nothing');
  for (const [, after] of Object.values(fixable)) for (const line of after.split('\n').filter((l) => l.includes('--no-sync') && !l.includes('"--no-sync"'))) assert.ok(dry.stdout.includes(`\n+${line}\n`), `${line} in\n${dry.stdout}`);
  assert.match(dry.stderr, /9 fixes in 1 files/);
  // Each refused service: one reason, at a line of that service's command, saying why.
  const composeLines = compose.split('\n');
  const reasons = dry.stderr.split('\n').filter((l) => l.startsWith('ro-uv-check: not fixed: '));
  assert.equal(reasons.length, Object.keys(refused).length, dry.stderr);
  for (const [name, [, why]] of Object.entries(refused)) {
    const start = composeLines.indexOf(`  ${name}:`) + 1;
    const end = start + service(name, refused[name]![0]).split('\n').length - 1;
    const mine = reasons.filter((l) => {
      const line = Number(/compose\.yaml:(\d+):/.exec(l)?.[1]);
      return line > start && line < end;
    });
    assert.equal(mine.length, 1, `one reason for ${name} (lines ${start}-${end}):\n${dry.stderr}`);
    assert.match(mine[0]!, / UV201 run-syncs-at-start: /);
    assert.match(mine[0]!, why);
  }
  assert.doesNotMatch(dry.stderr, /the text around it changed|the fix expects/);

  const r = cli([dir, '--fix']);
  assert.match(r.stderr, /applied 9 fixes in 1 files/);
  assert.match(r.stderr, /not fixed: compose\.yaml:\d+:\d+ UV201 run-syncs-at-start: each item of a compose list command/);
  assert.equal(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), expected);
  // Re-analysed: UV201 is gone wherever the edit was made; the refused ones remain (the Dockerfile's CMD is
  // overridden by every service's command, so it has no runtime finding of its own).
  assert.deepEqual(uv201(), Object.keys(refused).sort());
});

test('--fix in a Dockerfile\'s JSON `sh -c` string: made where the string has no escape before the spot, else refused with the reason', () => {
  const plain = writeRepo({ Dockerfile: dockerfile('', 'CMD ["sh", "-c", "cd /app && uv run app \\"$PORT\\""]') });
  const r = cli([plain, '--fix']);
  assert.match(r.stderr, /applied 1 fixes in 1 files/);
  assert.match(fs.readFileSync(path.join(plain, 'Dockerfile'), 'utf8'), /^CMD \["sh", "-c", "cd \/app && uv run --no-sync app \\"\$PORT\\""\]$/m);
  const escaped = writeRepo({ Dockerfile: dockerfile('', 'CMD ["sh", "-c", "echo \\"start\\" && uv run app"]') });
  const before = fs.readFileSync(path.join(escaped, 'Dockerfile'), 'utf8');
  const dry = cli([escaped, '--fix', '--dry-run']);
  assert.equal(dry.stdout, '');
  assert.match(dry.stderr, /not fixed: Dockerfile:7:\d+ UV201 run-syncs-at-start: the JSON string is written with escapes \(`\\"`, `\\\\`, `\\u…`\), so a column inside it is not the same column in the file: add `--no-sync` after `uv run` by hand/);
  cli([escaped, '--fix']);
  assert.equal(fs.readFileSync(path.join(escaped, 'Dockerfile'), 'utf8'), before);
});
