/**
 * The shell fast path (plain commands split without mvdan-sh, src/core/parse/shell-simple.ts) must give exactly what
 * the full parser's walk gives. Random snippets are drawn mostly from the subset the fast path takes, with the
 * characters and words that must send a snippet to the full parser mixed in; each is parsed both ways and the
 * results compared field by field. Used by shell-fast.test.ts (CI size) and `npm run property` (large runs).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bothWays, runDifferential } from '../differential.js';
import { parseShell, offsetMap, setShellFastPath, takesFastPath, shellWords, type ShellParse } from '../../src/core/parse/shell.js';

export function both(text: string, line = 1, column = 1): { fast: unknown; full: unknown } {
  const lookup = (n: string): string | undefined => (n === 'HOME' ? '/root' : n === 'A' ? 'a-value' : n === 'E' ? '' : undefined);
  return bothWays(setShellFastPath, () => plain(parseShell(text, 'f', offsetMap(line, column), lookup)));
}

/** Maps to arrays so deepEqual compares their contents. */
function plain(p: ShellParse): unknown {
  return {
    topCount: p.topCount,
    error: p.error,
    commands: p.commands.map((c) => ({
      ...c,
      assigns: [...c.assigns],
      exported: [...c.exported],
      // A heredoc's position map is a function: compare where it puts a few points instead.
      redirects: c.redirects.map((r) => (r.heredoc ? { ...r, heredoc: { text: r.heredoc.text, at: [r.heredoc.map(1, 1), r.heredoc.map(2, 3)] } } : r)),
    })),
  };
}

const lit = fc.stringMatching(/^[A-Za-z0-9_./:=,@%+*?~#[\]-]{1,6}$/);
const quotedText = fc.stringMatching(/^[A-Za-z0-9_./:=,@%+*?~#{}[\] \t\n&|;'"\\!`()<>é→-]{0,6}$/);
const param = fc.constantFrom(
  '$A', '${A}', '$HOME', '${HOME}', '$@', '$*', '$UNSET', '$A_1', '$1', '$?', '$', '$E', '${E}',
  '${A:-d}', '${A-d}', '${E:-d}', '${E-d}', '${UNSET:-d}', '${UNSET-}', '${A:+alt}', '${E:+alt}', '${E+alt}', '${UNSET+x}', '${A:=v}', '${E=v}',
  '${A:?m}', '${A#x}', '${A%x}', '${A:-x+y}', '${A:-$B}', '${A:-"q"}', '${#A}', '${A/x/y}', '${A:1}',
  '$(date)', '$(id -u)', '$( )', '$()', '$((1+2))', '$(a;b)', '$(echo "x")', '$(x',
);
const dq = fc.array(fc.oneof(quotedText, param), { maxLength: 3 }).map((p) => `"${p.join('').replace(/"/g, '')}"`);
const sq = quotedText.map((t) => `'${t.replace(/'/g, '')}'`);
const word = fc.oneof(
  { weight: 6, arbitrary: lit },
  { weight: 3, arbitrary: fc.tuple(fc.option(lit, { nil: '' }), fc.oneof(sq, dq, param), fc.option(lit, { nil: '' })).map(([a, b, c]) => a + b + c) },
  { weight: 2, arbitrary: fc.tuple(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,3}$/), fc.option(fc.oneof(lit, sq, dq, param), { nil: '' })).map(([n, v]) => `${n}=${v}`) },
  { weight: 2, arbitrary: fc.constantFrom('uv', 'sync', 'run', '--no-sync', 'exec', 'env', 'sh', 'bash', '-c', '-ec', 'nohup', 'gosu', 'tini', '--', '[', ']', '"$@"', '#', '#c') },
  { weight: 2, arbitrary: fc.constantFrom('export A=1', 'export B="$A x"', 'export C', 'export D=${A:-d} E=$D', 'export', 'export -n F', 'export "G=1"', 'export H=$(x)') },
  { weight: 2, arbitrary: fc.constantFrom('> f', '>> /tmp/log', '2>&1', '>&2', '< in', '&> out', '&>>a', '>f', '2> err', '1>x', '>|f', '<>f', '> "$A"', "2>'e f'", '<<EOF', '<<<x', '<(x)', '>', '2>', '>&', '> #x', '3<&0') },
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

/** Compares both paths (the walk, and shellWords) on `n` random snippets; returns how many took the fast path. */
export function runShellFastProperty(n: number): { taken: number; total: number } {
  const cases = fc.tuple(wrapped, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 20 }));
  return runDifferential(
    cases,
    ([s]) => takesFastPath(s),
    ([s, line, column]) => {
      const { fast, full } = both(s, line, column);
      assert.deepEqual(fast, full, JSON.stringify(s));
      const words = bothWays(setShellFastPath, () => shellWords(s));
      assert.deepEqual(words.fast, words.full, `shellWords ${JSON.stringify(s)}`);
    },
    n,
  );
}
