/**
 * The parse floor, for `npm run bench`: what any analysis of a repository's Docker files has to do at least, with no
 * model and no rules. It lists the folders, reads every Dockerfile, compose file and entrypoint script (and the
 * `.dockerignore` and `pyproject.toml` beside them), and turns them into instructions (every argument), trees and
 * shell commands (every RUN and script) through the same fast paths the CLI takes. Run in a fresh process like the CLI,
 * it shows how much of a target is left for the model and the rules. Prints the number of things parsed, so nothing
 * is optimised away.
 */
import * as path from 'node:path';
import { discover } from '../src/core/discover.js';
import { createReader } from '../src/core/files.js';
import { parseDockerfile } from '../src/core/parse/dockerfile.js';
import { parseCompose } from '../src/core/parse/compose.js';
import { parseShell, offsetMap } from '../src/core/parse/shell.js';

const root = path.resolve(process.argv[2] ?? '.');
const reader = createReader(root);
const found = discover(root, { onListing: (dir, entries) => reader.know?.(dir, entries) });
const none = (): undefined => undefined;
let parsed = 0;
for (const file of found.dockerfiles) {
  const r = reader.readText(path.join(root, file));
  if (!('text' in r)) continue;
  const df = parseDockerfile(file, r.text);
  for (const ins of df.ast.getInstructions()) {
    parsed += ins.getArguments().length;
    const body = ins.getArgumentsContent();
    const range = ins.getArgumentsRange();
    if (ins.getKeyword() === 'RUN' && body && range) parsed += parseShell(body, file, offsetMap(range.start.line + 1, range.start.character + 1), none).commands.length;
  }
  const dir = path.dirname(path.join(root, file));
  reader.readText(path.join(dir, '.dockerignore'));
  reader.readText(path.join(dir, 'pyproject.toml'));
  const script = reader.readText(path.join(dir, 'entrypoint.sh'));
  if ('text' in script) parsed += parseShell(script.text, file, offsetMap(1, 1), none).commands.length;
}
for (const file of found.composeFiles) {
  const r = reader.readText(path.join(root, file));
  if ('text' in r && parseCompose(file, r.text, none).root) parsed++;
}
console.log(parsed);
