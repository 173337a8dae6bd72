import type { Rule } from '../rule.js';
import { variableDefinitions } from './_helpers.js';
import { boolValue } from '../model/uv.js';

export const BOOLEAN_VARS = ['UV_LOCKED', 'UV_FROZEN', 'UV_NO_SYNC', 'UV_NO_DEV', 'UV_NO_EDITABLE', 'UV_COMPILE_BYTECODE', 'UV_NO_CACHE', 'UV_NO_DEFAULT_GROUPS', 'UV_NO_INSTALL_PROJECT'];
const ENUMS: Record<string, string[]> = {
  UV_LINK_MODE: ['clone', 'copy', 'hardlink', 'symlink'],
  UV_PYTHON_DOWNLOADS: ['auto', 'automatic', 'true', '1', 'manual', 'never', 'false', '0'],
};

export const rule: Rule = {
  id: 'UV109',
  name: 'invalid-uv-env-value',
  severity: 'error',
  summary: 'a uv environment variable has a value uv rejects',
  rationale:
    "uv's boolean variables accept 1/true/t/yes/y/on and 0/false/f/no/n/off (any case); anything else, the empty string too, makes uv exit with an error. UV_LINK_MODE and UV_PYTHON_DOWNLOADS accept only their listed values.",
  fix: 'use `1`',
  examples: { lang: 'dockerfile', bad: 'ENV UV_COMPILE_BYTECODE=enabled', good: 'ENV UV_COMPILE_BYTECODE=1' },
  check(ctx) {
    for (const d of variableDefinitions(ctx.project)) {
      if (d.value === null) continue;
      if (BOOLEAN_VARS.includes(d.name) && boolValue(d.value) === undefined) {
        ctx.report(d.loc, { message: `${d.name}=${JSON.stringify(d.value)} is not a boolean uv accepts (1, true, yes, on / 0, false, no, off): uv exits with an error` });
      } else if (ENUMS[d.name] && !ENUMS[d.name]!.includes(d.value)) {
        ctx.report(d.loc, { message: `${d.name}=${JSON.stringify(d.value)} is not one of ${ENUMS[d.name]!.join(', ')}`, fix: `use one of ${ENUMS[d.name]!.join(', ')}` });
      }
    }
  },
};
