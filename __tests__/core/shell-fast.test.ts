/**
 * The shell fast path (plain commands split without mvdan-sh) must give exactly what the full parser's walk gives.
 * Random snippets are drawn mostly from the subset the fast path takes, with the characters and words that must
 * send a snippet to the full parser mixed in; each is parsed both ways and the results compared field by field.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseShell, offsetMap, setShellFastPath, takesFastPath, type ShellParse } from '../../src/core/parse/shell.js';

after(() => setShellFastPath(true));

function both(text: string, line = 1, column = 1): { fast: unknown; full: unknown } {
  const lookup = (n: string): string | undefined => (n === 'HOME' ? '/root' : n === 'A' ? 'a-value' : undefined);
  setShellFastPath(true);
  const fast = plain(parseShell(text, 'f', offsetMap(line, column), lookup));
  setShellFastPath(false);
  const full = plain(parseShell(text, 'f', offsetMap(line, column), lookup));
  setShellFastPath(true);
  return { fast, full };
}

/** Maps to arrays so deepEqual compares their contents. */
function plain(p: ShellParse): unknown {
  return {
    topCount: p.topCount,
    error: p.error,
    commands: p.commands.map((c) => ({ ...c, assigns: [...c.assigns], exported: [...c.exported] })),
  };
}

test('fast path: the common Dockerfile snippets take it and match the full parser', () => {
  const snippets = [
    'uv sync --locked --no-dev --no-install-project\n',
    'groupadd --gid 1001 app && useradd --uid 1001 --gid 1001 --create-home app\n',
    'uv sync \\\n    --locked --no-dev \\\n    --no-editable\n',
    'A=1 B="x y" uv run --no-sync app.py; exec env UV_NO_SYNC=1 uv run x | tee out\n',
    "sh -c 'uv sync --frozen && uv run app' || true\n",
    'apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    'a &&\n  b ||\n  c\n\nd\n',
    'X=1\n',
    '',
  ];
  for (const s of snippets) {
    assert.ok(takesFastPath(s), `fast path expected for ${JSON.stringify(s)}`);
    const { fast, full } = both(s, 7, 5);
    assert.deepEqual(fast, full, s);
  }
});

test('fast path: expansions, redirects, reserved words, comments, escapes and errors go to the full parser', () => {
  for (const s of ['echo $1', 'echo ${A:-x}', 'echo $(id)', 'echo `id`', 'a > f', 'while a; do b; done', 'export A=1', "''#c", 'a\\ b', 'a &', 'a && ', '; a', 'a ;; b', '"unterminated', 'a[1]=x', 'A+=1 cmd', '{ a; }', 'a |& b', 'declare -x A=1']) {
    assert.equal(takesFastPath(s), false, s);
    const { fast, full } = both(s);
    assert.deepEqual(fast, full, s);
  }
});

const lit = fc.stringMatching(/^[A-Za-z0-9_./:=,@%+*?~#[\]-]{1,6}$/);
const quotedText = fc.stringMatching(/^[A-Za-z0-9_./:=,@%+*?~#{}[\] \t\n&|;'"\\!`()<>é→-]{0,6}$/);
const param = fc.constantFrom('$A', '${A}', '$HOME', '${HOME}', '$@', '$*', '$UNSET', '$A_1', '$1', '$?', '${A:-d}', '$(x)', '$');
const dq = fc.array(fc.oneof(quotedText, param), { maxLength: 3 }).map((p) => `"${p.join('').replace(/"/g, '')}"`);
const sq = quotedText.map((t) => `'${t.replace(/'/g, '')}'`);
const word = fc.oneof(
  { weight: 6, arbitrary: lit },
  { weight: 3, arbitrary: fc.tuple(fc.option(lit, { nil: '' }), fc.oneof(sq, dq, param), fc.option(lit, { nil: '' })).map(([a, b, c]) => a + b + c) },
  { weight: 2, arbitrary: fc.tuple(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,3}$/), fc.option(fc.oneof(lit, sq, dq, param), { nil: '' })).map(([n, v]) => `${n}=${v}`) },
  { weight: 2, arbitrary: fc.constantFrom('uv', 'sync', 'run', '--no-sync', 'exec', 'env', 'sh', 'bash', '-c', '-ec', 'nohup', 'gosu', 'tini', '--', '[', ']', '"$@"', '#', '#c') },
  { weight: 1, arbitrary: fc.constantFrom('if', 'then', 'elif', 'else', 'fi', 'for', 'in', 'do', 'done', 'export', 'time', 'let', 'case', '!', '[[', '{', '}', 'a{b,c}', '\\', 'a\\"b', '"', 'A+=1', 'a[1]=2') },
);
const sep = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(' ', ' ', ' ', '  ', '\t', ' && ', ' || ', ' | ', '; ', ';', '\n', ' \\\n  ', '&&\n', ' |\n', '\n\n', ' # note\n', ' #!/bin/sh "$(é)" `x` \'\n') },
  { weight: 1, arbitrary: fc.constantFrom('&', ';;', '\\\n', ' ;', '&&&', '|&', '#x') },
);
const list = fc.array(fc.tuple(word, sep), { minLength: 1, maxLength: 8 }).map((parts) => parts.map(([w, s]) => w + s).join(''));
/** `if` clauses around lists, mostly well formed; the lists may hold further ones. */
const withIf: fc.Arbitrary<string> = fc.letrec<{ script: string }>((tie) => ({
  script: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    list,
    fc
      .tuple(tie('script'), tie('script'), fc.option(tie('script'), { nil: undefined }), fc.option(tie('script'), { nil: undefined }), fc.constantFrom('; ', '\n', ' '), fc.constantFrom('', '; ', ' && b', ' | c', '\n', ' x'))
      .map(([c, t, e, el, s, after]) => `if ${c}${s}then ${t}${s}${el !== undefined ? `elif ${el}${s}then ${t}${s}` : ''}${e !== undefined ? `else ${e}${s}` : ''}fi${after}`),
    fc.tuple(list, tie('script')).map(([a, b]) => `${a}\n${b}`),
  ),
})).script;
const snippet = withIf;
/** `sh -c` around a snippet: the inner text is parsed again (both paths), at positions inside the quotes. */
const wrapped = fc.oneof(snippet, snippet.map((s) => `A=x sh -c '${s.replace(/'/g, '')}'`));

test('fast path: random snippets parse the same both ways (property)', () => {
  let taken = 0;
  let total = 0;
  fc.assert(
    fc.property(wrapped, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 20 }), (s, line, column) => {
      total++;
      if (takesFastPath(s)) taken++;
      const { fast, full } = both(s, line, column);
      assert.deepEqual(fast, full, JSON.stringify(s));
    }),
    { numRuns: Number(process.env.RO_UV_CHECK_PROPERTY_RUNS ?? 3000) },
  );
  // Both paths must really be exercised, or the comparison proves nothing.
  assert.ok(taken > total * 0.2, `fast path taken ${taken} of ${total}`);
  assert.ok(taken < total * 0.9, `full parser taken ${total - taken} of ${total}`);
});
