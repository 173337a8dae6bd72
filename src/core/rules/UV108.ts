import type { Rule } from '../rule.js';
import { msg, literal, type Message } from '../message.js';
import { buildUvCalls, runtimeUvCalls, healthcheckUvCalls, subLoc, type EnvLookup } from './_helpers.js';
import { isTruthy, type UvInvocation } from '../model/uv.js';

function conflict(inv: UvInvocation, env: EnvLookup): Message | undefined {
  const locked = inv.options.some((o) => o.name === '--locked');
  const frozen = inv.options.some((o) => o.name === '--frozen');
  if (locked && frozen) return literal('`--locked` and `--frozen` together');
  if (locked && isTruthy(env('UV_FROZEN'))) return literal('`--locked` with a truthy UV_FROZEN');
  if (frozen && isTruthy(env('UV_LOCKED'))) return literal('`--frozen` with a truthy UV_LOCKED');
  return undefined;
}

export const rule: Rule = {
  id: 'UV108',
  name: 'locked-frozen-conflict',
  severity: 'error',
  summary: 'uv is asked to be both locked and frozen',
  rationale: 'uv refuses to run when `--locked` meets `--frozen` (as flags or through UV_LOCKED / UV_FROZEN): the command exits with an error and the build or the start fails.',
  fix: 'keep `--locked`',
  examples: { lang: 'dockerfile', bad: 'ENV UV_FROZEN=1\nRUN uv sync --locked', good: 'RUN uv sync --locked' },
  check(ctx) {
    for (const c of [...buildUvCalls(ctx.project), ...runtimeUvCalls(ctx.project), ...healthcheckUvCalls(ctx.project)]) {
      const why = conflict(c.inv, c.env);
      if (why) ctx.report(subLoc(c.inv), { message: msg`\`uv ${c.inv.sub.join(' ')}\` with ${why}: uv exits with an error` });
    }
  },
};
