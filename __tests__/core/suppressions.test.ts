/**
 * Inline suppressions on hostile input: the directive reader must read what the documented pattern reads, in linear
 * time, and many findings against many directives must not be quadratic.
 */
import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDirective, suppressedIn, type Suppressions } from '../../src/core/findings.js';
import type { Finding } from '../../src/core/types.js';
import { analyzeRepo } from '../helpers.js';

/** The pattern the directive syntax is documented by; it backtracks quadratically on long runs of blanks. */
const PATTERN = /#\s*ro-uv-check\s+(ignore|ignore-file)\s*=\s*([A-Za-z0-9_,\s-]+?)(?:\s+reason\s*=.*)?\s*$/;
const rulesOf = (kind: string, ids: string): string => `${kind}:${[...new Set(ids.split(',').map((x) => x.trim()).filter(Boolean))].join(',')}`;

const blank = fc.constantFrom('', ' ', '  ', '\t', '\u00a0', ' \t ');
const list = fc.array(fc.constantFrom('UV101', 'ct401', 'all', 'runs-as-root', ',', ' ', '-', '_', 'x!', '#', 'reason'), { maxLength: 5 }).map((xs) => xs.join(''));
const tail = fc.constantFrom('', ' ', ' reason=x', '  reason = because, UV101', 'reason=x', ' reason', ' # ro-uv-check ignore=UV102', '!', ' =');
const line = fc
  .tuple(fc.constantFrom('', 'RUN a ', 'x: 1 ', '#'), blank, fc.constantFrom('ro-uv-check', 'ro-uv-checks', 'RO-UV-CHECK'), blank, fc.constantFrom('ignore', 'ignore-file', 'ignored', ''), blank, fc.constantFrom('=', '', '=='), blank, list, tail)
  .map(([pre, b1, name, b2, kind, b3, eq, b4, ids, t]) => `${pre}#${b1}${name}${b2}${kind}${b3}${eq}${b4}${ids}${t}`);

test('directives: read as the documented pattern reads them (property)', () => {
  let matched = 0;
  fc.assert(
    fc.property(line, (l) => {
      const want = PATTERN.exec(l);
      const got = parseDirective(l);
      if (want) matched++;
      assert.equal(got && rulesOf(got.kind, got.ids), want ? rulesOf(want[1]!, want[2]!) : undefined, JSON.stringify(l));
    }),
    { numRuns: Number(process.env.RO_UV_CHECK_PROPERTY_RUNS ?? 2000) * 5 },
  );
  assert.ok(matched > 500, `only ${matched} lines were directives`);
});

test('directives: a 1 MiB run of blanks is read in one pass (the pattern would take minutes)', () => {
  assert.equal(parseDirective(`# ro-uv-check ignore=UV101${' '.repeat(1 << 20)}!`), undefined);
  assert.deepEqual(parseDirective(`# ro-uv-check ignore=UV101${' '.repeat(1 << 20)}`)?.kind, 'ignore');
});

test('suppressedIn: the same findings as checking every range for every finding (property)', () => {
  const finding = (line: number, ruleId: string): Finding => ({ ruleId, name: ruleId.toLowerCase(), severity: 'error', file: 'f', line, column: 1, endLine: line, endColumn: 2, message: '', fix: '' });
  const rules = fc.uniqueArray(fc.constantFrom('UV101', 'UV102', 'uv101', 'all'), { maxLength: 2 }).map((r) => new Set(r));
  const range = fc.tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 10 }), rules).map(([start, len, r]) => ({ start, end: start + len, rules: r }));
  fc.assert(
    fc.property(fc.array(range, { maxLength: 12 }), rules, fc.array(fc.tuple(fc.integer({ min: 1, max: 45 }), fc.constantFrom('UV101', 'UV102')), { maxLength: 20 }), (ranges, file, fs) => {
      const s: Suppressions = { file, ranges };
      const findings = fs.map(([l, id]) => finding(l, id));
      const hit = (f: Finding, r: Set<string>): boolean => r.has(f.ruleId) || r.has(f.name) || r.has('all');
      const naive = findings.filter((f) => hit(f, file) || ranges.some((r) => f.line >= r.start && f.line <= r.end && hit(f, r.rules)));
      const got = suppressedIn(findings, s);
      assert.deepEqual(findings.filter((f) => got.has(f)), naive);
    }),
    { numRuns: Number(process.env.RO_UV_CHECK_PROPERTY_RUNS ?? 2000) },
  );
});

test('suppressions: 16,000 directives over 16,000 instructions hold, each over its own instruction', async () => {
  // A packaged project, copied where the syncs run: each sync installs it editable (UV102).
  const lines = ['FROM python:3.12', 'COPY pyproject.toml ./'];
  const unsuppressed: number[] = [];
  for (let i = 0; i < 16000; i++) {
    lines.push(i % 2 ? '# ro-uv-check ignore=UV101 reason=legacy' : '# an ordinary comment', 'RUN uv sync');
    if (i % 2 === 0) unsuppressed.push(lines.length);
  }
  const r = await analyzeRepo({ Dockerfile: `${lines.join('\n')}\n`, 'pyproject.toml': '[project]\nname = "app"\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n' });
  assert.deepEqual(r.findings.filter((f) => f.ruleId === 'UV101').map((f) => f.line), unsuppressed);
  assert.equal(r.findings.filter((f) => f.ruleId === 'UV102').length, 16000, 'an ignore=UV101 directive leaves UV102 alone');
});
