import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { analyzeRepo, dockerfile } from '../helpers.js';
import { main } from '../../src/cli.js';
import { writeRepo } from '../helpers.js';
import { Writable } from 'node:stream';

const bad = dockerfile('COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-dev --no-editable --compile-bytecode', 'CMD ["uv", "run", "app"]');
const lock = { 'uv.lock': 'version = 1\n', 'pyproject.toml': '[project]\nname = "a"\n' };

test('config ignore (by id and by name) and severity override', async () => {
  const r = await analyzeRepo({ ...lock, Dockerfile: bad, '.ro-uv-check.yml': 'ignore: [UV204]\nseverity:\n  run-syncs-at-start: warning\n' });
  assert.deepEqual(r.findings.map((f) => `${f.ruleId}:${f.severity}`), ['UV201:warning']);
  const off = await analyzeRepo({ ...lock, Dockerfile: bad, '.ro-uv-check.yml': 'severity: {UV201: "off", uv-at-runtime: "off"}\n' });
  assert.deepEqual(off.findings, []);
});

test('unknown keys, unknown rule ids and bad values are RO901 on the config file, at their line', async () => {
  const r = await analyzeRepo({ Dockerfile: bad, '.ro-uv-check.yml': 'ignore: [UV999]\nseverity:\n  UV201: loud\nfrobnicate: true\nscope: some\n' });
  const cfg = r.findings.filter((f) => f.file === '.ro-uv-check.yml');
  assert.deepEqual(cfg.map((f) => `${f.ruleId}:${f.line}`).sort(), ['RO901:1', 'RO901:3', 'RO901:4', 'RO901:5']);
  assert.ok(cfg.some((f) => /unknown config key "frobnicate"/.test(f.message)));
  assert.ok(cfg.some((f) => /unknown rule "UV999"/.test(f.message)));
  assert.equal(r.configErrors.length, 4);
});

test('a config that is not YAML, not a mapping, or of the wrong types is RO901 at its line; an empty one is fine', async () => {
  const at = async (text: string): Promise<string[]> =>
    (await analyzeRepo({ Dockerfile: bad, '.ro-uv-check.yml': text })).configErrors.map((f) => `${f.line}: ${f.message}`);
  const broken = await at('ignore: [UV201\nscope: all\n');
  assert.equal(broken.length, 1);
  assert.match(broken[0]!, /^2: YAML syntax error: /);
  assert.deepEqual(await at('- UV201\n'), ['1: the config file must be a mapping at the top level, found a list']);
  assert.deepEqual(await at('scope: all\nignore: UV201\n'), ['2: ignore must be array']);
  assert.deepEqual(await at('ignore:\n  - UV201\n  - 7\n'), ['3: ignore.1 must be string']);
  assert.deepEqual(await at('uv-version: latest\n'), ['1: uv-version must match pattern "^\\d+\\.\\d+\\.\\d+$"']);
  assert.deepEqual(await at(''), []);
  assert.deepEqual(await at('# nothing configured\n'), []);
});

test('a config error makes the CLI exit 2', async () => {
  const dir = writeRepo({ Dockerfile: bad, '.ro-uv-check.yml': 'nope: 1\n' });
  const sink = new Writable({ write(_c, _e, cb) { cb(); } });
  assert.equal(await main([dir], sink, sink), 2);
});

test('inline suppression above a Dockerfile instruction (multi-line) and a compose key; ignore-file', async () => {
  const df = `FROM ghcr.io/astral-sh/uv:0.12.5
RUN useradd -u 1001 -m appuser
ENV PYTHONDONTWRITEBYTECODE=1
# ro-uv-check ignore=UV101,dev-deps-installed reason=tests need pytest
RUN apt-get update && \\
    uv sync --no-editable --compile-bytecode
USER appuser
# ro-uv-check ignore-file=UV204
CMD ["uv", "run", "--no-sync", "app"]
`;
  const compose = 'services:\n  # ro-uv-check ignore=CT403\n  api:\n    build: .\n    read_only: true\n    tmpfs: ["/home/appuser/.cache"]\n    security_opt: ["no-new-privileges:true"]\n';
  const r = await analyzeRepo({ Dockerfile: df, 'compose.yaml': compose });
  assert.deepEqual(r.findings.map((f) => f.ruleId), []);
});

test('a suppression for one rule does not hide another', async () => {
  const df = dockerfile('# ro-uv-check ignore=UV104\nRUN uv sync --no-editable --compile-bytecode');
  const r = await analyzeRepo({ Dockerfile: df });
  assert.deepEqual(r.findings.map((f) => f.ruleId).filter((x) => x !== 'UV204'), ['UV101']);
});

test('exclude patterns that would make matching exponential are refused, at their line; the others apply', async () => {
  const r = await analyzeRepo({
    Dockerfile: bad,
    'vendor/Dockerfile': bad,
    'old-a-b/Dockerfile': bad,
    '.ro-uv-check.yml': 'exclude:\n  - vendor/**\n  - "*a*a*a*a*a*a*a*b"\n  - "+(x|y)"\n  - "*-a-*"\n',
  });
  const cfg = r.findings.filter((f) => f.file === '.ro-uv-check.yml');
  assert.deepEqual(cfg.map((f) => `${f.ruleId}:${f.line}`), ['RO901:3', 'RO901:4']);
  assert.match(cfg[0]!.message, /exclude pattern "\*a\*a\*a\*a\*a\*a\*a\*b" is not used: more than 2 `\*`/);
  assert.deepEqual([...new Set(r.findings.filter((f) => f.file.endsWith('Dockerfile')).map((f) => f.file))], ['Dockerfile']);
});
