/**
 * The compose fast path (src/core/parse/compose-simple.ts) must give exactly what the `yaml` library path gives:
 * the same tree, values, positions, key ranges and errors. Random documents are rendered from random trees in the
 * block style compose files use, with the constructs that must go to the library mixed in. Used by
 * compose-fast.test.ts (CI size) and `npm run property` (large runs).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bothWays, runDifferential } from '../differential.js';
import { parseCompose, setComposeFastPath, takesComposeFastPath, type ComposeParse, type PNode } from '../../src/core/parse/compose.js';

const lookup = (n: string): string | undefined => (n === 'TAG' ? '1.2' : undefined);

export function bothCompose(text: string): { fast: unknown; full: unknown } {
  return bothWays(setComposeFastPath, () => plain(parseCompose('c.yaml', text, lookup)));
}

function plain(p: ComposeParse): unknown {
  const node = (n: PNode | undefined): unknown =>
    n === undefined ? undefined : n.kind === 'map' ? { ...n, entries: [...n.entries].map(([k, e]) => [k, { ...e, value: node(e.value) }]) } : n.kind === 'seq' ? { ...n, items: n.items.map(node) } : n;
  return { root: node(p.root), error: p.error, keyRanges: p.keyRanges };
}

type Tree = string | null | { seq: Tree[] } | { map: [string, Tree][] };

const plainScalar = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_./:=-]{0,8}$/).filter((s) => !s.endsWith(':')) },
  { weight: 2, arbitrary: fc.constantFrom('true', 'false', 'null', '~', 'yes', '8000:8000', '0', '-1', '+3', '007', 'ALL', 'no-new-privileges:true', '/home/app/.cache:uid=1001,gid=1001', '${TAG:-x}', '$$HOME', 'a #b', 'a b  c') },
  { weight: 1, arbitrary: fc.constantFrom('3.12', '1e3', '.inf', '0x1f', '0o17', '12345678901234567890', '-', '- x', '*a', '&a x', '!t x', '|', '>', '@x', '`x', 'a: b', 'x:') },
);
const quotedScalar = fc.oneof(
  fc.stringMatching(/^[a-z0-9 :#,[\]{}'-]{0,8}$/).map((s) => `"${s}"`),
  fc.stringMatching(/^[a-z0-9 :#,[\]{}"-]{0,8}$/).map((s) => `'${s}'`),
  fc.constantFrom("'it''s'", '"a\\"b"', '"\\u0041"', "''", '""'),
);
const scalar = fc.oneof({ weight: 4, arbitrary: plainScalar }, { weight: 2, arbitrary: quotedScalar });
const key = fc.oneof({ weight: 6, arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_.-]{0,6}$/) }, { weight: 1, arbitrary: fc.constantFrom('"quoted key"', "'k'", '1', 'true', '<<', 'a b', '? x', '-x', 'x y') });

const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 3, arbitrary: scalar },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.array(tie('t'), { minLength: 1, maxLength: 4 }).map((seq) => ({ seq })) },
    { weight: 3, arbitrary: fc.uniqueArray(fc.tuple(key, tie('t')), { minLength: 1, maxLength: 4, selector: ([k]) => k }).map((map) => ({ map })) },
  ),
})).t;

/** Renders a tree in block style: `step` spaces per level, with a few variations compose files show. */
function render(t: Tree, indent: string, step: string, style: { compactSeq: boolean; flow: boolean }): string {
  const inline = (x: Tree): string | undefined => {
    if (x === null) return '';
    if (typeof x === 'string') return x;
    if (style.flow && 'seq' in x && x.seq.every((i) => typeof i === 'string')) return `[${(x.seq as string[]).join(', ')}]`;
    return undefined;
  };
  if (t !== null && typeof t === 'object' && 'map' in t) {
    return t.map
      .map(([k, v]) => {
        const i = inline(v);
        if (i !== undefined) return `${indent}${k}:${i === '' ? '' : ` ${i}`}\n`;
        const seqHere = style.compactSeq && v !== null && typeof v === 'object' && 'seq' in v;
        return `${indent}${k}:\n${render(v, seqHere ? indent : indent + step, step, style)}`;
      })
      .join('');
  }
  if (t !== null && typeof t === 'object') {
    return t.seq
      .map((v) => {
        const i = inline(v);
        if (i !== undefined) return `${indent}-${i === '' ? '' : ` ${i}`}\n`;
        if (v !== null && typeof v === 'object' && 'map' in v) {
          // `- key: value` with the rest of the mapping under it
          const body = render(v, indent + '  ', step, style);
          return `${indent}- ${body.slice(indent.length + 2)}`;
        }
        return `${indent}-\n${render(v, indent + step, step, style)}`;
      })
      .join('');
  }
  return `${indent}${t ?? ''}\n`;
}

/** Random edits: comments, blank lines, trailing spaces, and constructs only the library handles. */
const noise = fc.array(
  fc.tuple(
    fc.nat(),
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('# a comment', '', '   ', '  # indented comment', '      # deep comment') },
      { weight: 1, arbitrary: fc.constantFrom('x: &a 1', 'y: *a', '<<: *a', 'z: |\n  block', 'f: {a: 1}', '\tt: 1', '---', 'k: !tag v', '  continued', 'dup: 1', 'q: "multi\n  line"', 'e: [a, b,]', 'n: 1.5', 'u: a: b') },
    ),
  ),
  { maxLength: 3 },
);
const trailing = fc.constantFrom('', '  ', '  # c', ' #c');

export const composeDoc = fc
  .tuple(tree, fc.constantFrom('  ', '    ', ' '), fc.boolean(), fc.boolean(), noise, trailing, fc.boolean())
  .map(([t, step, compactSeq, flow, edits, tail, endNewline]) => {
    const root: Tree = t !== null && typeof t === 'object' && 'map' in t ? t : { map: [['services', t]] };
    const lines = render(root, '', step, { compactSeq, flow }).split('\n');
    lines.pop();
    for (const [at, text] of edits) lines.splice(at % (lines.length + 1), 0, text);
    if (lines.length) lines[lines.length - 1] += tail;
    return lines.join('\n') + (endNewline ? '\n' : '');
  });

/** Compares both paths on `n` random documents; returns how many took the fast path. */
export function runComposeFastProperty(n: number): { taken: number; total: number } {
  return runDifferential(composeDoc, takesComposeFastPath, (text) => {
    const { fast, full } = bothCompose(text);
    assert.deepEqual(fast, full, JSON.stringify(text));
  }, n);
}
