/**
 * `npm run bundle`: the committed dist/ (after `tsc`). Three ncc bundles (the action, its post step, the CLI), and
 * mvdan-sh beside them as dist/node_modules/mvdan-sh: it is 1.5 MB of GopherJS that is only loaded when a shell
 * snippet needs the full parser, so it stays out of the bundles (whose load time is the action's cold start) and
 * Node resolves `require('mvdan-sh')` from any of them to that one copy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const dist = path.join(ROOT, 'dist');
const ncc = path.join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
const EXTERNAL = 'mvdan-sh';

fs.rmSync(dist, { recursive: true, force: true });
for (const [entry, out] of [
  ['build/src/index.js', 'dist'],
  ['build/src/bin.js', 'dist/cli'],
  ['build/src/post.js', 'dist/post'],
] as const) {
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', out, '--license', 'licenses.txt', '-q', '-e', EXTERNAL], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 });
}
const from = path.join(ROOT, 'node_modules', EXTERNAL);
const to = path.join(dist, 'node_modules', EXTERNAL);
fs.mkdirSync(to, { recursive: true });
for (const f of ['package.json', 'index.js', 'LICENSE']) fs.copyFileSync(path.join(from, f), path.join(to, f));
