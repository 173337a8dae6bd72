import type { Rule } from '../rule.js';
import { buildUvCalls, subLoc, truthyOption } from './_helpers.js';
import { flagEdit, withEdits } from './_helpers.js';
import { isSub, boolValue } from '../model/uv.js';

/** A read-only container cannot write `__pycache__`: without compiled bytecode every start compiles in memory. */
export const rule: Rule = {
  id: 'UV103',
  name: 'no-bytecode-compile',
  severity: 'warning',
  summary: 'the runtime environment is installed without compiling bytecode',
  rationale:
    'uv does not compile .pyc files by default. On a read-only filesystem Python silently skips writing __pycache__ and compiles every module in memory on every start, which slows start-up. Compile at build time.',
  fix: 'add `--compile-bytecode`',
  examples: { lang: 'dockerfile', bad: "RUN uv sync --locked", good: "ENV UV_COMPILE_BYTECODE=1\nRUN uv sync --locked" },
  check(ctx) {
    for (const c of buildUvCalls(ctx.project)) {
      const installs = isSub(c.inv, 'sync') || isSub(c.inv, 'pip', 'install') || isSub(c.inv, 'pip', 'sync');
      if (!installs) continue;
      const env = c.env('UV_COMPILE_BYTECODE');
      if (boolValue(env) === false) {
        /* explicitly off */
      } else if (truthyOption(c.inv, c.env, ['--compile-bytecode', '--compile'], ['UV_COMPILE_BYTECODE'])) continue;
      else if (c.use.uvSettings.compileBytecode?.value === true && boolValue(env) === undefined) continue;
      if (c.inv.options.some((o) => o.name === '--no-compile-bytecode')) {
        ctx.report(subLoc(c.inv), { message: `\`uv ${c.inv.sub.join(' ')}\` with \`--no-compile-bytecode\`: no bytecode is compiled` });
        continue;
      }
      ctx.report(subLoc(c.inv), { ...withEdits(flagEdit(c.inv, '--compile-bytecode')), message: `\`uv ${c.inv.sub.join(' ')}\` without \`--compile-bytecode\`: Python compiles every module in memory at each start of a read-only container` });
    }
  },
};
