/**
 * Loads the `yaml` library on demand, synchronously: most compose files take the fast path (./compose-simple.ts)
 * and never need it, and its load (~20–35 ms) is part of the action's cold start. A CommonJS `require` inside a
 * function lets the bundler (ncc) include it but run it only when this is first called.
 */
let lib: typeof import('yaml') | undefined;

export function requireYaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  lib ??= require('yaml') as typeof import('yaml');
  return lib;
}
