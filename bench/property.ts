/** `npm run property [-- N]`: the property-based check with N cases (default 100,000). */
import { runProperty } from '../__tests__/hostile/property.js';

const n = Number(process.argv[2] ?? 100_000);
const t0 = performance.now();
runProperty(n);
console.log(`property: ${n} cases passed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
