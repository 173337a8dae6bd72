/**
 * Loads mvdan-sh on demand, synchronously. It is 1.5 MB of GopherJS whose start-up costs ~150 ms, and the shell
 * fast path (./shell-simple.ts) handles most repositories without it; a CommonJS `require` inside a function lets
 * the bundler (ncc) include it but run it only when this is called.
 */
export function requireMvdanSh(): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('mvdan-sh');
}
