import type { Rule } from '../rule.js';
import { joinMessages, literal, msg } from '../message.js';
import type { Stage, ImageModel, RunStep } from '../model/image.js';
import type { ImageUse } from '../model/project.js';
import { buildUvCalls, subLoc, truthyOption, type BuildUvCall, descendsFrom, seesStage, callEnv } from './_helpers.js';
import { flagEdit, withEdits } from './_helpers.js';
import { isSub, boolValue, uvInvocation, uvAddEffect } from '../model/uv.js';
import { sameEnv, compileallCovers } from '../model/uvproject.js';

const installs = (c: BuildUvCall): boolean => isSub(c.inv, 'sync') || isSub(c.inv, 'pip', 'install') || isSub(c.inv, 'pip', 'sync') || uvAddEffect(c.inv, c.env)?.installs === true;

/** Whether the call compiles bytecode (flag, truthy UV_COMPILE_BYTECODE, or the project's compile-bytecode setting). */
function compiles(c: BuildUvCall): boolean {
  if (c.inv.unknownArgs) return true; // a word we cannot evaluate may be `--compile-bytecode`: no claim
  const env = c.env('UV_COMPILE_BYTECODE');
  if (c.inv.options.some((o) => o.name === '--no-compile-bytecode')) return false;
  if (boolValue(env) === false) return false;
  if (truthyOption(c.inv, c.env, ['--compile-bytecode', '--compile'], ['UV_COMPILE_BYTECODE'])) return true;
  return c.use.uvSettings.compileBytecode?.value === true && boolValue(env) === undefined;
}

/** `b` is `a` or is built FROM it (through any number of stages). */
function descends(b: Stage, a: Stage, image: ImageModel): boolean {
  return descendsFrom(b, a, image.stages);
}

/** A read-only container cannot write `__pycache__`: without compiled bytecode every start compiles in memory. */
export const rule: Rule = {
  id: 'UV103',
  name: 'no-bytecode-compile',
  severity: 'warning',
  stacks: 'production',
  summary: 'the runtime environment is installed without compiling bytecode',
  rationale:
    'uv does not compile .pyc files by default. On a read-only filesystem Python silently skips writing __pycache__ and compiles every module in memory on every start, which slows start-up. Compile at build time. (`--compile-bytecode` compiles the whole site-packages, not only what that call installs: a later compiling install into the same environment, or `python -m compileall` over it, covers an earlier one, and where two installs lack it, adding it to the last fixes both.)',
  fix: 'add `--compile-bytecode`',
  examples: { lang: 'dockerfile', bad: "RUN uv sync --locked", good: "ENV UV_COMPILE_BYTECODE=1\nRUN uv sync --locked" },
  check(ctx) {
    const calls = buildUvCalls(ctx.project).filter(installs);
    const byUse = new Map<ImageUse, BuildUvCall[]>();
    for (const c of calls) {
      const l = byUse.get(c.use);
      if (l) l.push(c);
      else byUse.set(c.use, [c]);
    }
    for (const [use, list] of byUse) {
      const image = use.image;
      // `python -m compileall …` commands of the image's stages (usually none), found once.
      const compileAlls: { stage: Stage; run: RunStep; index: number; words: readonly { text: string | null }[] }[] = [];
      for (const s of image.stages) {
        if (!use.reachable.has(s.index)) continue;
        for (const run of s.runs) {
          run.commands.forEach((cmd, index) => {
            const uvRun = uvInvocation(cmd.words)?.command;
            for (const words of uvRun ? [cmd.words, uvRun] : [cmd.words]) if (words.some((w) => w.text === 'compileall')) compileAlls.push({ stage: s, run, index, words });
          });
        }
      }
      /** A `python -m compileall` after `c` over its environment: in its stage, one built from it, or one that copies from those. */
      const compiledLater = (c: BuildUvCall, envPath: string | undefined): boolean =>
        compileAlls.some((x) => {
          const after = x.stage !== c.stage || x.run.loc.line > c.run.loc.line || (x.run === c.run && x.index > c.run.commands.indexOf(c.cmd));
          const sees = descends(x.stage, c.stage, image) || x.stage.copies.some((cp) => cp.fromStage !== undefined && descends(image.stages[cp.fromStage]!, c.stage, image));
          return after && sees && compileallCovers(x.words, x.run.workdir, envPath);
        });
      // Backwards: per stage and environment, whether a later install compiles, and the last install (a later one
      // into the same environment, in the stage or one built from it, compiles the whole site-packages when it compiles).
      const summary = new Map<Stage, Map<string, { compiling: boolean; last: BuildUvCall; at: number }>>();
      const deferred = new Map<BuildUvCall, BuildUvCall[]>();
      const report: BuildUvCall[] = [];
      for (let i = list.length - 1; i >= 0; i--) {
        const c = list[i]!;
        const env = callEnv(c);
        const key = env ?? '?';
        let compiledAfter = false;
        let last: { call: BuildUvCall; at: number } | undefined;
        for (const [stage, byEnv] of summary) {
          if (!seesStage(stage, c.stage, image.stages)) continue;
          for (const [k, v] of byEnv) {
            if (!sameEnv(env, k === '?' ? undefined : k)) continue;
            if (v.compiling) compiledAfter = true;
            if (!last || v.at > last.at) last = { call: v.last, at: v.at };
          }
        }
        let stageSummary = summary.get(c.stage);
        if (!stageSummary) summary.set(c.stage, (stageSummary = new Map()));
        const own = stageSummary.get(key);
        const compiling = compiles(c);
        stageSummary.set(key, { compiling: compiling || (own?.compiling ?? false), last: own?.last ?? c, at: own?.at ?? i });
        if (compiling || compiledAfter || compiledLater(c, env)) continue; // compiled by this or a later step
        if (last) {
          const d = deferred.get(last.call);
          if (d) d.push(c);
          else deferred.set(last.call, [c]);
        }
        else report.push(c);
      }
      for (const c of report.reverse()) {
        const also = [...(deferred.get(c) ?? [])].reverse().map((e) => msg`\`uv ${e.inv.sub.join(' ')}\` at line ${e.run.loc.line}`);
        const named = also.length > 3 ? [...also.slice(0, 3), literal(`${also.length - 3} more`)] : also;
        const covers = also.length ? msg` (adding it here also compiles what ${joinMessages(named, ' and ')} installed)` : '';
        if (c.inv.options.some((o) => o.name === '--no-compile-bytecode')) {
          ctx.report(subLoc(c.inv), { message: msg`\`uv ${c.inv.sub.join(' ')}\` with \`--no-compile-bytecode\`: no bytecode is compiled${covers}` });
          continue;
        }
        ctx.report(subLoc(c.inv), { ...withEdits(flagEdit(c.inv, '--compile-bytecode')), message: msg`\`uv ${c.inv.sub.join(' ')}\` without \`--compile-bytecode\`: Python compiles every module in memory at each start of a read-only container${covers}` });
      }
    }
  },
};
