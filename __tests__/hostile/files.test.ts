/** Hostile and broken files: each ends in a clear finding with file and line, never a crash or silence. */
import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { execFileSync, spawnSync } from 'node:child_process';
import { analyzeRepo, writeRepo, findingsOf, dockerfile, PROJECT_ROOT } from '../helpers.js';
import { analyze } from '../../src/core/engine.js';
import { discover } from '../../src/core/discover.js';
import { MAX_FILE_BYTES } from '../../src/core/files.js';
import { parseShell, offsetMap } from '../../src/core/parse/shell.js';
import { parseCompose } from '../../src/core/parse/compose.js';

test('a Dockerfile ending in a continuation', async () => {
  const f = await findingsOf({ Dockerfile: 'FROM python:3.12\nRUN uv sync \\' }, 'RO901');
  assert.equal(f.length, 1);
  assert.match(f[0]!.message, /ends inside a continued line/);
  assert.equal(f[0]!.line, 2);
});

test('an unterminated heredoc', async () => {
  const f = await findingsOf({ Dockerfile: 'FROM python:3.12\nRUN <<EOF\nuv sync\n' }, 'RO901');
  assert.ok(f.some((x) => /heredoc <<EOF is never closed/.test(x.message) && x.line === 2), JSON.stringify(f));
});

test('a file over the size cap is reported and not read', async () => {
  const dir = writeRepo({});
  const big = path.join(dir, 'Dockerfile');
  fs.writeFileSync(big, 'FROM x\n');
  fs.truncateSync(big, 50 * 1024 * 1024); // sparse: 50 MB on paper
  const r = await analyze({ root: dir });
  const f = r.findings.filter((x) => x.ruleId === 'RO901');
  assert.equal(f.length, 1);
  assert.match(f[0]!.message, new RegExp(`52428800 bytes, over the ${MAX_FILE_BYTES}-byte limit`));
  assert.equal(f[0]!.file, 'Dockerfile');
});

test('invalid UTF-8 in a compose file is an error (compose rejects it), not decoded into garbage', async () => {
  const dir = writeRepo({});
  fs.writeFileSync(path.join(dir, 'compose.yaml'), Buffer.concat([Buffer.from('services:\n  app:\n    image: caf'), Buffer.from([0xe9, 0x0a])]));
  const f = (await analyze({ root: dir })).findings;
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'error');
  assert.match(f[0]!.message, /not valid UTF-8 text \(line 3, column 15\)/);
});

test('a Dockerfile with Latin-1 bytes (a comment) is analysed, as Docker builds it: positions kept, a notice names the encoding', async () => {
  const dir = writeRepo({});
  const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), latin1('# caf\xe9 cr\xe8me\nFROM ghcr.io/astral-sh/uv:0.12.5-python3.12-bookworm-slim\nWORKDIR /app\nRUN echo "\xe9t\xe9" && uv sync --no-dev\n'));
  try {
    const f = (await analyze({ root: dir })).findings;
    const ro = f.filter((x) => x.ruleId === 'RO901');
    assert.deepEqual(ro.map((x) => `${x.severity} ${x.line}:${x.column}`), ['notice 1:6']);
    assert.match(ro[0]!.message, /not valid UTF-8/);
    // The RUN is analysed, at the columns of the file (each Latin-1 byte is one character there).
    const uv = f.filter((x) => x.ruleId === 'UV101');
    assert.deepEqual(uv.map((x) => `${x.line}:${x.column}-${x.endColumn}`), ['4:19-26']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('CRLF line endings and a BOM keep positions right', async () => {
  const text = '\uFEFF' + dockerfile('RUN uv sync --no-dev').replace(/\n/g, '\r\n');
  const f = await findingsOf({ Dockerfile: text }, 'UV101');
  assert.deepEqual(f.map((x) => `${x.line}:${x.column}-${x.endColumn}`), ['5:5-12']);
});

test('YAML: unknown keys are ignored, not reported', async () => {
  const r = await analyzeRepo({ Dockerfile: dockerfile(''), 'compose.yaml': 'x-custom: {a: 1}\nservices:\n  api:\n    build: .\n    frobnicate: yes\n    read_only: true\n    tmpfs: ["/home/appuser/.cache"]\n    cap_drop: [ALL]\n    security_opt: ["no-new-privileges:true"]\n' });
  assert.deepEqual(r.findings.filter((f) => f.ruleId.startsWith('RO')), []);
});

test('a FIFO named Dockerfile is reported, and never opened (which would block)', async () => {
  const dir = writeRepo({ 'ok/Dockerfile': 'FROM x\n' });
  execFileSync('mkfifo', [path.join(dir, 'Dockerfile')]);
  const r = await analyze({ root: dir });
  assert.ok(r.findings.some((f) => f.ruleId === 'RO902' && /not a regular file/.test(f.message)), JSON.stringify(r.findings));
});

test('100,000 files in excluded folders are never listed', () => {
  const dir = writeRepo({ 'zzz/Dockerfile': 'FROM x\n' }); // listed after node_modules
  const nm = path.join(dir, 'node_modules', 'big');
  fs.mkdirSync(nm, { recursive: true });
  for (let i = 0; i < 100_000; i++) fs.writeFileSync(path.join(nm, `f${i}`), '');
  // With a budget of 50 directory entries, the walk would stop inside node_modules if it entered it.
  const d = discover(dir, { maxEntries: 50 });
  assert.deepEqual(d.dockerfiles, ['zzz/Dockerfile']);
  assert.deepEqual(d.skipped, []);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('hostile file names reach no shell and break no report', async () => {
  const marker = path.join('/tmp', `pwned-${process.pid}`);
  const evil = `svc$(touch ${marker});\`touch ${marker}\``;
  const dir = writeRepo({ [`${evil}/Dockerfile`]: dockerfile('RUN uv sync'), [`${evil}/compose.yaml`]: `services:\n  "a$(touch ${marker})":\n    build: .\n` });
  const r = await analyze({ root: dir });
  assert.ok(r.findings.some((f) => f.file.startsWith(evil)));
  assert.equal(fs.existsSync(marker), false);
});

test('inputs found by the property tests (regressions)', async () => {
  // dockerfile-ast threw in getHeredocs on an escaped comment in a continuation
  const r = await analyzeRepo({ Dockerfile: 'RUN  \\\n    \\# uv\nCMD ', 'compose.yaml': 'services:\n  api:\n\n', 'e.sh': '#!/bin/sh\n\n' });
  assert.ok(Array.isArray(r.findings));
});

test('an unreadable file is an RO901 finding (checked as an unprivileged user: root reads everything)', () => {
  const dir = writeRepo({ 'ok/Dockerfile': 'FROM x\n', Dockerfile: 'FROM ghcr.io/astral-sh/uv:0.12.5\n' });
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(path.join(dir, 'ok'), 0o755);
  fs.chmodSync(path.join(dir, 'ok', 'Dockerfile'), 0o644);
  fs.chmodSync(path.join(dir, 'Dockerfile'), 0o000);
  // A copy of the bundle the unprivileged user can read, wherever this checkout lives.
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'ro-uv-check-bin-'));
  fs.cpSync(path.join(PROJECT_ROOT, 'dist'), bin, { recursive: true });
  const readable = (p: string): void => {
    const dirent = fs.statSync(p).isDirectory();
    fs.chmodSync(p, dirent ? 0o755 : 0o644);
    if (dirent) for (const f of fs.readdirSync(p)) readable(path.join(p, f));
  };
  readable(bin);
  const cli = path.join(bin, 'cli', 'index.js');
  const asRoot = process.getuid?.() === 0;
  const r = asRoot
    ? spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, cli, dir, '--format', 'json'], { encoding: 'utf8' })
    : spawnSync(process.execPath, [cli, dir, '--format', 'json'], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  const f = JSON.parse(r.stdout).findings as { ruleId: string; file: string; message: string }[];
  assert.deepEqual(f.map((x) => `${x.ruleId} ${x.file}`), ['RO901 Dockerfile']);
  assert.match(f[0]!.message, /cannot read: .*EACCES|permission denied/i);
});

test('a Dockerfile that never names uv is out of scope and not parsed, unless scope: all or a uv service builds it', async () => {
  const df = 'FROM node:22\nFOOBAR x\nCMD ["node", "app.js"]\n';
  assert.deepEqual((await findingsOf({ Dockerfile: df })).map((f) => f.ruleId), []);
  assert.deepEqual((await findingsOf({ Dockerfile: df, '.ro-uv-check.yml': 'scope: all\n' }, 'RO901')).map((f) => f.line), [2]);
  const built = await findingsOf({ Dockerfile: df, 'compose.yaml': 'services:\n  a:\n    build: .\n    command: ["uv", "run", "app"]\n' }, 'RO901');
  assert.deepEqual(built.map((f) => f.line), [2]);
});

test('huge plain inputs stay linear in the fast paths (a 400,000-word command, a 50,000-key compose file)', () => {
  // Guards against quadratic scans in the shell and compose fast paths: either would take far past the timeout.
  const words = Array.from({ length: 400_000 }, (_, i) => `w${i}`).join(' ');
  const p = parseShell(`A=1 B=2 uv ${words}\n`, 'Dockerfile', offsetMap(1, 1), () => undefined);
  assert.equal(p.commands[0]!.words.length, 400_001);
  const keys = Array.from({ length: 50_000 }, (_, i) => `  k${i}: v${i}`).join('\n');
  const c = parseCompose('compose.yaml', `services:\n  a:\n    environment:\n${keys.replace(/^/gm, '    ')}\n`, () => undefined);
  assert.equal(c.error, undefined);
  const env = c.root?.entries.get('services')?.value;
  assert.ok(env?.kind === 'map');
});

test('hostile: 20,000 COPY instructions and a 20,000-command entrypoint are linked without comparing every command with every COPY', async () => {
  const n = 20000;
  const copies = Array.from({ length: n }, (_, i) => `COPY a${i} /opt/a${i}`).join('\n');
  const f = await findingsOf({
    Dockerfile: `FROM python:3.12\nRUN uv sync --locked\n${copies}\nCOPY entrypoint.sh /entrypoint.sh\nCOPY bin/ /usr/local/bin/\nENTRYPOINT ["/entrypoint.sh"]\n`,
    'entrypoint.sh': `#!/bin/sh\n${Array.from({ length: n }, (_, i) => `tool${i} x\n`).join('')}exec uv run app\n`,
    'bin/tool7': '#!/bin/sh\nuv run other\n',
  });
  // The script is followed (its `uv run` without --no-sync is seen), and so is bin/tool7, found through the COPY of bin/.
  const uv201 = f.filter((x) => x.ruleId === 'UV201').map((x) => `${x.file}:${x.line}`);
  assert.ok(uv201.includes(`entrypoint.sh:${n + 2}`) && uv201.includes('bin/tool7:2'), JSON.stringify(uv201));
});

test('hostile: many services running one long script stop being followed at the command budget, and that is reported', async () => {
  // 60 services × a 5,000-command script = 300,000 commands, past the budget (each service keeps its own copy:
  // 2,000 such services used to exhaust the heap and kill the process).
  const services = Array.from({ length: 60 }, (_, i) => `  s${i}:\n    build: .\n`).join('');
  const r = await analyzeRepo({
    Dockerfile: 'FROM python:3.12\nRUN uv sync --locked\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
    'entrypoint.sh': `#!/bin/sh\n${Array.from({ length: 5000 }, (_, i) => `echo ${i}\n`).join('')}exec uv run app\n`,
    'compose.yaml': `services:\n${services}`,
  });
  const budget = r.findings.filter((f) => f.ruleId === 'RO902' && /is not followed for service/.test(f.message));
  assert.equal(budget.length, 1, JSON.stringify(budget));
  assert.match(budget[0]!.message, /entrypoint\.sh is not followed for service "s\d+" and \d+ more: .*250,000 commands/);
  assert.equal(budget[0]!.file, 'Dockerfile');
  // The services before the budget ran out are analysed through the script.
  assert.ok(r.findings.some((f) => f.ruleId === 'UV201' && f.file === 'entrypoint.sh'));
});

test('hostile: services sharing a huge env_file are analysed up to the environment budget, and the rest is reported', async () => {
  // 120 services × 20,000 variables = 2.4 million entries (1,000 such services used to exhaust the heap).
  const services = Array.from({ length: 120 }, (_, i) => `  s${i}:\n    build: .\n    env_file: app.env\n`).join('');
  const r = await analyzeRepo({
    Dockerfile: 'FROM python:3.12\nRUN uv sync --locked\nCMD ["uv", "run", "app"]\n',
    'app.env': Array.from({ length: 20000 }, (_, i) => `VAR${i}=value${i}\n`).join('') + 'UV_NO_SYNC=1\n',
    'compose.yaml': `services:\n${services}`,
  });
  const budget = r.findings.filter((f) => f.ruleId === 'RO902' && /not analysed: the environments/.test(f.message));
  assert.equal(budget.length, 1, JSON.stringify(budget));
  assert.match(budget[0]!.message, /^service "s99" and 20 more not analysed: .*2,000,000 entries/);
  // The services analysed read the env_file: UV_NO_SYNC=1 there satisfies UV201 for their `uv run`.
  assert.equal(r.findings.filter((f) => f.ruleId === 'UV201').length, 0);
  assert.equal(r.project.runtimes.length, 99);
});

test('hostile: one large Dockerfile built with many sets of build args is modelled up to the budget, and the rest is reported', async () => {
  // 40 services × a 5,000-RUN Dockerfile with other build args: each set of args is modelled apart (1,000 such
  // services used to exhaust the heap). Also ENV between RUNs: their environments are shared, not copied per RUN.
  const runs = Array.from({ length: 5000 }, (_, i) => `${i % 1000 === 0 ? `ENV STEP=${i}\n` : ''}RUN uv sync --locked --frozen --no-dev step ${i} a b c`).join('\n');
  const services = Array.from({ length: 40 }, (_, i) => `  s${i}:\n    build:\n      context: .\n      args:\n        A: "${i}"\n`).join('');
  const r = await analyzeRepo({ Dockerfile: `FROM python:3.12\nARG A\n${runs}\n`, 'compose.yaml': `services:\n${services}` });
  const budget = r.findings.filter((f) => f.ruleId === 'RO902' && /not analysed for/.test(f.message));
  assert.equal(budget.length, 1, JSON.stringify(budget));
  assert.match(budget[0]!.message, /^Dockerfile not analysed for \d+ sets of build args: .*1,500,000/);
  const modelled = r.project.imageUses.filter((u) => u.image.stages.length > 0);
  assert.ok(modelled.length > 10 && modelled.length < 40, `${modelled.length} images modelled`);
  // RUNs between two ENVs share one environment map.
  const runsOf = modelled[0]!.image.stages[0]!.runs;
  assert.equal(new Set(runsOf.map((x) => x.buildEnv)).size, 5);
});

test('hostile: 20,000 COPYs into one folder and a script calling 20,000 paths in it stay linear', async () => {
  const n = 20000;
  const f = await findingsOf({
    Dockerfile: `FROM python:3.12\nRUN uv sync --locked\n${Array.from({ length: n }, (_, i) => `COPY a${i} /app/`).join('\n')}\nCOPY tool7 /app/\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n`,
    'entrypoint.sh': `#!/bin/sh\n${Array.from({ length: n }, (_, i) => `/app/tool${i} x\n`).join('')}exec uv run app\n`,
    tool7: '#!/bin/sh\nuv run other\n',
  });
  const uv201 = f.filter((x) => x.ruleId === 'UV201').map((x) => `${x.file}:${x.line}`);
  assert.ok(uv201.includes(`entrypoint.sh:${n + 2}`) && uv201.includes('tool7:2'), JSON.stringify(uv201));
});
