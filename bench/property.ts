/**
 * `npm run property [-- N]`: the property-based checks with N cases each (default 100,000): the engine on hostile
 * input, then each fast path against the library it stands in for (shell text: mvdan-sh; compose YAML: `yaml`;
 * Dockerfiles: dockerfile-ast).
 */
import { runProperty } from '../__tests__/hostile/property.js';
import { runShellFastProperty } from '../__tests__/core/shell-fast.js';
import { runComposeFastProperty } from '../__tests__/core/compose-fast.js';
import { runDockerfileFastProperty } from '../__tests__/core/dockerfile-fast.js';

const n = Number(process.argv[2] ?? 100_000);
const timed = (label: string, f: () => string): void => {
  const t0 = performance.now();
  const detail = f();
  console.log(`${label}: ${n} cases passed${detail} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
};
timed('property (engine, hostile input)', () => {
  runProperty(n);
  return '';
});
timed('shell fast path = mvdan-sh', () => ` (${runShellFastProperty(n).taken} took the fast path)`);
timed('compose fast path = yaml', () => ` (${runComposeFastProperty(n).taken} took the fast path)`);
timed('Dockerfile fast path = dockerfile-ast', () => ` (${runDockerfileFastProperty(n).taken} took the fast path)`);
