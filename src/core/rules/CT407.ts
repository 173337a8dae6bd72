import type { Rule } from '../rule.js';
import { normalizePath } from '../model/image.js';
import { imageUseOf } from './_helpers.js';

const within = (p: string, dir: string): boolean => p === dir || p.startsWith(`${dir === '/' ? '' : dir}/`);

export const rule: Rule = {
  id: 'CT407',
  name: 'writable-mount-over-code',
  severity: 'warning',
  stacks: 'production',
  summary: 'a writable mount replaces or changes the code or the venv',
  rationale:
    'A read-only root filesystem only protects what it covers. A writable bind mount or volume over the app folder (WORKDIR) or the venv lets the running app, or an attacker in it, change the code that runs next, and a volume over them shadows what the image was built with. ' +
    'Inside the app folder a mount counts only where the image has code from the repository (a Python, extension-module or shell file a COPY/ADD puts there, or a folder holding one): a mount over a path the image does not get from the repository (coverage output, a data folder, a .dockerignored path) or over a data or config file replaces no code.',
  fix: 'mount it read-only (`:ro`), or not at all in production',
  examples: { lang: 'yaml', bad: 'services:\n  api:\n    volumes:\n      - ./src:/app/src', good: 'services:\n  api:\n    volumes:\n      - ./src:/app/src:ro' },
  check(ctx) {
    for (const rt of ctx.project.runtimes) {
      const s = rt.service;
      if (!s || !rt.stage) continue;
      const app = normalizePath(rt.stage.workdir);
      const venv = normalizePath(rt.env.get('UV_PROJECT_ENVIRONMENT')?.value || `${app}/.venv`);
      for (const m of s.volumes) {
        if (m.readOnly) continue;
        const t = normalizePath(m.target);
        let what: string | undefined;
        if (t !== '/' && (within(app, t) || within(venv, t))) what = within(app, t) && app !== '/' ? `the app folder ${app}` : `the venv ${venv}`;
        else if (within(t, venv)) what = `the venv ${venv}`;
        else if (app !== '/' && within(t, app)) {
          // Inside the app folder, only over code the image has from the repository (not data, config or run-time output).
          const src = imageUseOf(ctx.project, rt)?.provides(rt.stage, t);
          if (src?.code) what = `code in the app folder ${app} (${src.file}${src.dir ? '/' : ''})`;
        }
        if (what) ctx.report(m.loc, { message: `a writable ${m.type === 'bind' ? 'bind mount' : 'volume'} at ${m.target} covers ${what}` });
      }
    }
  },
};
