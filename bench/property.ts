/**
 * `npm run property [-- N]`: the property-based checks with N cases each (default 100,000): the engine on hostile
 * input, then the shell fast path against the full parser.
 */
import { runProperty } from '../__tests__/hostile/property.js';
import { runShellFastProperty } from '../__tests__/core/shell-fast.js';

const n = Number(process.argv[2] ?? 100_000);
let t0 = performance.now();
runProperty(n);
console.log(`property: ${n} cases passed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
t0 = performance.now();
const { taken } = runShellFastProperty(n);
console.log(`shell fast path = full parser: ${n} cases passed (${taken} took the fast path) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
