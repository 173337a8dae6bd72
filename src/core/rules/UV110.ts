import type { Rule } from '../rule.js';
import { variableDefinitions } from './_helpers.js';

/** The uv release that introduced each variable (uv's changelog). */
export const INTRODUCED: Record<string, string> = {
  UV_NO_DEV: '0.8.7',
  UV_NO_EDITABLE: '0.6.15',
  UV_NO_INSTALL_PROJECT: '0.11.20',
  UV_NO_DEFAULT_GROUPS: '0.9.9',
  UV_LOCKED: '0.4.25',
  UV_FROZEN: '0.4.25',
};

export function olderThan(a: string, b: string): boolean {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  return false;
}

export const rule: Rule = {
  id: 'UV110',
  name: 'uv-env-too-new',
  severity: 'error',
  summary: 'the pinned uv is older than a variable it is given, and silently ignores it',
  rationale: 'uv ignores environment variables it does not know. A variable introduced after the pinned uv release has no effect: the build installs dev dependencies, editable installs or an unlocked environment without any error.',
  fix: 'use the flag, or a uv release that knows the variable',
  examples: { lang: 'dockerfile', bad: 'COPY --from=ghcr.io/astral-sh/uv:0.8.3 /uv /bin/\nENV UV_NO_DEV=1\nRUN uv sync --locked', good: 'COPY --from=ghcr.io/astral-sh/uv:0.8.3 /uv /bin/\nRUN uv sync --locked --no-dev' },
  check(ctx) {
    for (const d of variableDefinitions(ctx.project)) {
      const since = INTRODUCED[d.name];
      if (!since || !d.uvVersion || !olderThan(d.uvVersion, since)) continue;
      ctx.report(d.loc, { message: `${d.name} exists since uv ${since}, but the image pins uv ${d.uvVersion}, which ignores it` });
    }
  },
};
