import type { Rule } from '../rule.js';
import type { Mount } from '../model/service.js';
import type { RuntimeUser } from '../model/accounts.js';
import { inScope } from './_helpers.js';

/** Whether the runtime user may write to a tmpfs with these options (tmpfs defaults: owner root, mode 1777). */
function problem(m: Mount, u: RuntimeUser): string | undefined {
  if (u.root === true) return undefined;
  if (m.uid !== undefined && u.uid !== undefined && m.uid !== u.uid) return `uid=${m.uid} but the container runs as uid ${u.uid}`;
  if (m.gid !== undefined && u.gid !== undefined && m.gid !== u.gid) return `gid=${m.gid} but the container runs with gid ${u.gid}`;
  if (m.mode === undefined) return undefined;
  const ownerUid = m.uid ?? 0;
  const ownerGid = m.gid ?? 0;
  if (u.uid === undefined) return undefined;
  const bit = u.uid === ownerUid ? 0o200 : u.gid !== undefined && u.gid === ownerGid ? 0o020 : 0o002;
  const canWrite = (m.mode & bit) !== 0;
  return canWrite ? undefined : `mode=${m.mode.toString(8)} does not let uid ${u.uid} write (owner ${ownerUid}:${ownerGid})`;
}

export const rule: Rule = {
  id: 'CT405',
  name: 'tmpfs-owner-mismatch',
  severity: 'warning',
  summary: "a tmpfs is owned by another user than the container's",
  rationale:
    "A tmpfs with uid/gid or mode options that do not match the runtime user is mounted but not writable by the app, which then fails with permission errors the first time it writes there. Without options a tmpfs is mode 1777 and writable by everyone.",
  fix: 'uid=U,gid=G of the runtime user',
  examples: { lang: 'yaml', bad: "# the image runs as uid 1001\nservices:\n  api:\n    tmpfs:\n      - \"/home/appuser/.cache:uid=1000,gid=1000\"", good: "services:\n  api:\n    tmpfs:\n      - \"/home/appuser/.cache:uid=1001,gid=1001\"" },
  check(ctx) {
    for (const rt of ctx.project.runtimes) {
      const s = rt.service;
      if (!s || !inScope(ctx.project, rt)) continue;
      for (const m of s.tmpfs) {
        const p = problem(m, rt.user);
        if (!p) continue;
        const fix = rt.user.uid !== undefined ? `${m.target}:uid=${rt.user.uid},gid=${rt.user.gid ?? rt.user.uid}` : 'match the runtime user';
        ctx.report(m.loc, { message: `tmpfs ${m.target}: ${p}`, fix });
      }
    }
  },
};
