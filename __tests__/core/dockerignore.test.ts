/** .dockerignore matching: Docker's semantics (moby/patternmatcher's regular expression), in linear time. */
import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDockerignore, isIgnored } from '../../src/core/parse/dockerignore.js';
import { expectFinding, findingsOf } from '../helpers.js';

/**
 * The reference: the regular expression moby/patternmatcher builds from a pattern (its `compile`), run by
 * JavaScript's engine — fine for short random paths, exponential on hostile ones.
 */
function mobyRegExp(pattern: string): RegExp | undefined {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        re += i + 1 >= pattern.length ? '.*' : '(.*/)?';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) re += `\\u{${pattern.codePointAt(++i)!.toString(16)}}`;
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        re += pattern.slice(i, close + 1);
        i = close;
      }
    } else re += /[.+()|{}$^]/.test(c) ? `\\${c}` : c;
  }
  try {
    return new RegExp(`${re}$`, 'u');
  } catch {
    return undefined;
  }
}

test('dockerignore: patterns match as Docker\'s regular expressions do (property)', () => {
  const patternChar = fc.constantFrom('a', 'b', '/', '*', '**', '?', '.', '[ab]', '[^a]', '[a-c]', '-', '+', '(', '{a,b}');
  const pathChar = fc.constantFrom('a', 'b', 'c', '/', '.', '-', '+', '(', '{', ',', 'é');
  let matched = 0;
  fc.assert(
    fc.property(fc.array(patternChar, { minLength: 1, maxLength: 8 }), fc.array(pathChar, { minLength: 1, maxLength: 10 }), (pc, xc) => {
      const raw = pc.join('');
      const pattern = raw.replace(/^(?:\.?\/)+/, '').replace(/\/+$/, ''); // leading `./` and `/`, trailing `/`: as Docker cleans it
      const p = xc.join('');
      const ref = mobyRegExp(pattern);
      if (!pattern || !ref) return;
      const di = parseDockerignore('.dockerignore', `${raw}\n`);
      const got = di.patterns[0]!.match(p);
      if (got) matched++;
      assert.equal(got, ref.test(p), `${pattern} ~ ${p}`);
    }),
    { numRuns: Number(process.env.RO_UV_CHECK_PROPERTY_RUNS ?? 2000) * 5 },
  );
  assert.ok(matched > 200, `only ${matched} matches`);
});

test('dockerignore: exceptions, parents, and a pattern that makes a backtracking matcher take minutes', () => {
  const di = parseDockerignore('.dockerignore', '**/__pycache__\n*.pyc\n!keep.pyc\ndocs/**\n*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\n');
  assert.equal(isIgnored(di, 'x/__pycache__/m.pyc'), true);
  assert.equal(isIgnored(di, 'keep.pyc'), false);
  assert.equal(isIgnored(di, 'docs/a/b'), true);
  assert.equal(isIgnored(di, 'docs'), false, 'docs/** leaves the folder itself, as Docker does');
  // 5,000 `a`s: a JavaScript regular expression built as Docker builds it would not finish.
  assert.equal(isIgnored(di, 'a'.repeat(5000)), false);
  assert.equal(isIgnored(di, `${'a'.repeat(5000)}b`), true);
});

test('UV107: `.venv/**` in .dockerignore keeps the venv out too', async () => {
  const files = { Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN uv sync --locked\n', 'uv.lock': '', 'pyproject.toml': '[project]\nname = "x"\n' };
  assert.equal((await findingsOf({ ...files, '.dockerignore': '.venv/**\n' }, 'UV107')).length, 0);
  await expectFinding({ ...files, '.dockerignore': 'docs\n' }, 'UV107');
});
