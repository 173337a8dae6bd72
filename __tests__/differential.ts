/** Comparing a fast path with the library it stands in for (shell text: mvdan-sh; compose YAML: `yaml`; Dockerfiles: dockerfile-ast). */
import assert from 'node:assert/strict';
import fc from 'fast-check';

/** `f` with the fast path on, then off; the fast path is on again afterwards, whatever happens. */
export function bothWays<T>(setFastPath: (on: boolean) => void, f: () => T): { fast: T; full: T } {
  try {
    setFastPath(true);
    const fast = f();
    setFastPath(false);
    return { fast, full: f() };
  } finally {
    setFastPath(true);
  }
}

/** Runs `check` on `n` random cases; both paths must really be exercised, or the comparison proves nothing. */
export function runDifferential<A>(arb: fc.Arbitrary<A>, takesFastPath: (a: A) => boolean, check: (a: A) => void, n: number): { taken: number; total: number } {
  let taken = 0;
  let total = 0;
  fc.assert(
    fc.property(arb, (a) => {
      total++;
      if (takesFastPath(a)) taken++;
      check(a);
    }),
    { numRuns: n },
  );
  assert.ok(taken > total * 0.2, `fast path taken ${taken} of ${total}`);
  assert.ok(taken < total * 0.9, `library path taken ${total - taken} of ${total}`);
  return { taken, total };
}
