/**
 * Loads dockerfile-ast on demand, synchronously: most Dockerfiles take the fast path (./dockerfile-simple.ts) and
 * never need it. A CommonJS `require` inside a function lets the bundler (ncc) include it but run it only when this
 * is first called.
 */
let lib: typeof import('dockerfile-ast') | undefined;

export function requireDockerfileAst(): typeof import('dockerfile-ast') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  lib ??= require('dockerfile-ast') as typeof import('dockerfile-ast');
  return lib;
}
