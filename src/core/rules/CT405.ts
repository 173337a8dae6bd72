import type { Rule } from '../rule.js';
import type { Mount } from '../model/service.js';
import type { RuntimeUser } from '../model/accounts.js';
import { withEdits } from './_helpers.js';
import { composeOf, type Project } from '../model/project.js';
import type { Edit } from '../fix.js';

/** A short-syntax tmpfs item with uid/gid set to the runtime user's (other options kept); none for long syntax. */
function ownerEdit(project: Project, m: Mount, u: RuntimeUser): Edit[] | undefined {
  if (u.uid === undefined) return undefined;
  const lines = composeOf(project, m.loc.file)?.lines;
  if (!lines || m.loc.line !== m.loc.endLine) return undefined;
  const raw = lines.lineText(m.loc.line).slice(m.loc.column - 1, m.loc.endColumn - 1);
  const quote = raw[0] === '"' || raw[0] === "'" ? raw[0] : '';
  const spec = quote ? raw.slice(1, -1) : raw;
  const colon = spec.indexOf(':');
  if (colon < 0 || spec.includes('\\')) return undefined;
  // A mode that denies the owner writing goes too (the tmpfs default, 1777, applies); any other option stays.
  const opts = spec.slice(colon + 1).split(',').filter((o) => !/^(uid|gid)=/.test(o) && !(/^mode=/.test(o) && m.mode !== undefined && (m.mode & 0o200) === 0));
  const owner = [`uid=${u.uid}`, `gid=${u.gid ?? u.uid}`];
  const text = `${quote}${spec.slice(0, colon)}:${[...owner, ...opts].join(',')}${quote}`;
  return [{ file: m.loc.file, line: m.loc.line, column: m.loc.column, endLine: m.loc.line, endColumn: m.loc.endColumn, text, anchor: raw }];
}

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
      if (!s) continue;
      for (const m of s.tmpfs) {
        const p = problem(m, rt.user);
        if (!p) continue;
        const fix = rt.user.uid !== undefined ? `${m.target}:uid=${rt.user.uid},gid=${rt.user.gid ?? rt.user.uid}` : 'match the runtime user';
        ctx.report(m.loc, { ...withEdits(ownerEdit(ctx.project, m, rt.user)), message: `tmpfs ${m.target}: ${p}`, fix });
      }
    }
  },
};
