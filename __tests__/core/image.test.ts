import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as path from 'node:path';
import { parseDockerfile } from '../../src/core/parse/dockerfile.js';
import { buildImage, normalizePath } from '../../src/core/model/image.js';
import { resolveUser } from '../../src/core/model/accounts.js';
import { reachableStages, resolveImagePath } from '../../src/core/model/runtime.js';


const build = (text: string, args: Record<string, string> = {}) => buildImage(parseDockerfile('Dockerfile', text), new Map(Object.entries(args)));

test('stages, parents, names (case-insensitive), and COPY --from links', () => {
  const img = build('FROM python:3.12 AS Base\nENV A=1\nFROM base AS builder\nRUN echo\nFROM python:3.12-slim\nCOPY --from=BUILDER /app /app\nCOPY --from=0 /x /x\n');
  assert.equal(img.stages.length, 3);
  assert.equal(img.stages[1]!.parent, 0);
  assert.equal(img.stages[1]!.env.get('A')?.value, '1');
  assert.equal(img.stages[2]!.copies[0]!.fromStage, 1);
  assert.equal(img.stages[2]!.copies[1]!.fromStage, 0);
  assert.deepEqual([...reachableStages(img, img.stages[2]!)].sort(), [0, 1, 2]);
});

test('ARG and ENV: global args in FROM, build args override defaults, ENV expands earlier values', () => {
  const img = build('ARG PY=3.11\nFROM python:${PY}-slim\nARG APP=/srv\nENV HOME=${APP}/home PATH="${APP}/.venv/bin:$PATH"\n', { PY: '3.12' });
  const s = img.stages[0]!;
  assert.equal(s.base.ref, 'python:3.12-slim');
  assert.equal(s.env.get('HOME')?.value, '/srv/home');
  assert.equal(s.env.get('PATH')?.value, '/srv/.venv/bin:');
});

test('the build env of a RUN holds ARG and ENV values in force there', () => {
  const img = build('FROM x\nARG UV_LOCKED=1\nRUN a\nENV UV_NO_DEV=1\nRUN b\n');
  const [a, b] = img.stages[0]!.runs;
  assert.equal(a!.buildEnv.get('UV_LOCKED')?.value, '1');
  assert.equal(a!.buildEnv.has('UV_NO_DEV'), false);
  assert.equal(b!.buildEnv.get('UV_NO_DEV')?.value, '1');
});

test('users: useradd/groupadd/adduser with uid, gid, group names and homes', () => {
  const img = build([
    'FROM debian',
    'RUN groupadd --gid 2000 web && useradd --uid 1500 --gid web --home-dir /srv/web --create-home web',
    'RUN useradd -u 1001 -m app',
    'RUN addgroup -g 3000 alp && adduser -D -u 3001 -G alp -h /home/alp alp',
    'USER web',
  ].join('\n'));
  const acc = img.stages[0]!.accounts;
  assert.deepEqual(resolveUser('web', acc), { spec: 'web', name: 'web', uid: 1500, gid: 2000, home: '/srv/web', root: false });
  assert.deepEqual(resolveUser('app', acc), { spec: 'app', name: 'app', uid: 1001, gid: 1001, home: '/home/app', root: false });
  assert.equal(resolveUser('alp', acc).gid, 3000);
  assert.equal(resolveUser('1001', acc).name, 'app');
  assert.deepEqual(resolveUser('4242:4242', acc), { spec: '4242:4242', uid: 4242, gid: 4242, home: '/', root: false });
  assert.equal(resolveUser('', acc).root, true);
  assert.equal(resolveUser('0:0', acc).root, true);
});

test('users: --opt=value and bundled short flags, useradd -N, the add-to-group forms, USER name:group', () => {
  const img = build([
    'FROM debian',
    'RUN groupadd --gid=2000 web && useradd -rm --uid=1500 --gid=web --home-dir=/srv/web web',
    'RUN useradd -N -u 1600 plain',
    // Debian's `addgroup USER GROUP` and `adduser USER GROUP` add a user to a group: nothing is created.
    'RUN addgroup plain web && adduser plain staff',
    'RUN adduser --disabled-password --gecos "" --uid 1700 --gid 2000 deb',
  ].join('\n'));
  const acc = img.stages[0]!.accounts;
  assert.deepEqual(resolveUser('web', acc), { spec: 'web', name: 'web', uid: 1500, gid: 2000, home: '/srv/web', root: false });
  assert.equal(resolveUser('plain', acc).gid, 100); // -N: the default group "users"
  assert.equal(acc.groups.has('staff'), false);
  assert.equal(acc.users.has('staff'), false);
  assert.deepEqual(resolveUser('deb', acc), { spec: 'deb', name: 'deb', uid: 1700, gid: 2000, home: '/home/deb', root: false });
  assert.equal(resolveUser('plain:web', acc).gid, 2000);
  assert.equal(resolveUser('1500:web', acc).gid, 2000);
  // A group the image does not define: the gid cannot be told.
  assert.equal('gid' in resolveUser('web:nosuch', acc), false);
});

test('ENTRYPOINT [] is an empty exec form (it resets the entrypoint), not a shell command', () => {
  const img = build('FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nENTRYPOINT [ ]\nCMD ["fastapi", "run"]\n');
  assert.deepEqual(img.stages[0]!.entrypoint, { form: 'exec', words: [], loc: img.stages[0]!.entrypoint!.loc, inherited: false });
  assert.deepEqual(img.stages[0]!.cmd!.words.map((w) => w.text), ['fastapi', 'run']);
});

test('ENTRYPOINT resets an inherited CMD, shell form becomes /bin/sh -c', () => {
  const img = build('FROM x AS a\nCMD ["a"]\nFROM a\nENTRYPOINT ["/e.sh"]\nFROM a\nCMD uv run app\n');
  assert.equal(img.stages[1]!.cmd, undefined);
  assert.deepEqual(img.stages[2]!.cmd!.words.map((w) => w.text), ['/bin/sh', '-c', 'uv run app']);
});

test('COPY destinations are resolved against WORKDIR', () => {
  const img = build('FROM x\nWORKDIR /app\nCOPY a.sh ./\nWORKDIR sub\nCOPY b.sh c.sh\n');
  assert.deepEqual(img.stages[0]!.copies.map((c) => c.dest), ['/app/', '/app/sub/c.sh']);
});

test('the escape directive and continuation with comments give file positions', () => {
  const img = build('FROM x\nRUN echo a \\\n  # note\n\n  && uv sync\n');
  const uv = img.stages[0]!.runs[0]!.commands[1]!;
  assert.deepEqual([uv.words[0]!.loc.line, uv.words[0]!.loc.column], [5, 6]);
});

test('uv versions from the uv image and from pip', () => {
  assert.equal(build('FROM ghcr.io/astral-sh/uv:0.8.3-python3.12-bookworm\n').stages[0]!.uvVersion, '0.8.3');
  assert.equal(build('FROM python\nCOPY --from=ghcr.io/astral-sh/uv:0.9.1 /uv /bin/\n').stages[0]!.uvVersion, '0.9.1');
  assert.equal(build('FROM python\nRUN pip install uv==0.7.0\n').stages[0]!.uvVersion, '0.7.0');
});

test('normalizePath: the shortcut for already-normal paths agrees with the segment walk (property)', () => {
  const walk = (p: string): string => {
    const parts: string[] = [];
    for (const seg of p.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') parts.pop();
      else parts.push(seg);
    }
    return `/${parts.join('/')}`;
  };
  const seg = fc.constantFrom('a', 'app', '.', '..', '', '.h', '..x', 'b.', '...');
  const p = fc.tuple(fc.boolean(), fc.array(seg, { maxLength: 6 }), fc.boolean()).map(([abs, segs, slash]) => `${abs ? '/' : ''}${segs.join('/')}${slash ? '/' : ''}`);
  fc.assert(fc.property(p, (x) => normalizePath(x) === walk(x)), { numRuns: 5000 });
  assert.equal(normalizePath('/app/.venv/bin'), '/app/.venv/bin');
  assert.equal(normalizePath('/app/./x/../y/'), '/app/y');
});

test('stages: names and numbers resolve as a scan would (FROM, COPY --from, RUN --mount=from), on random files (property)', () => {
  // The reference: the scans the model used before it kept an index of stage names.
  const scanFind = (ref: string, stages: { name?: string; index: number }[]): number | undefined => {
    const byName = stages.find((s) => s.name?.toLowerCase() === ref.toLowerCase());
    if (byName) return byName.index;
    return /^\d+$/.test(ref) && Number(ref) < stages.length ? Number(ref) : undefined;
  };
  const names = fc.constantFrom('a', 'A', 'b', 'base', '0', '1', '01', 'x');
  const stage = fc.tuple(fc.option(names), fc.constantFrom('python:3.12', 'a', 'B', '0', '1', '01'), fc.option(names), fc.option(names));
  fc.assert(
    fc.property(fc.array(stage, { minLength: 1, maxLength: 6 }), (spec) => {
      const text = spec
        .map(([name, base, copyFrom, mountFrom]) => `FROM ${base}${name ? ` AS ${name}` : ''}\n${copyFrom ? `COPY --from=${copyFrom} /x /x\n` : ''}${mountFrom ? `RUN --mount=from=${mountFrom},target=/m true\n` : ''}`)
        .join('');
      const img = build(text);
      const seen: { name?: string; index: number }[] = [];
      const reach = new Map<number, number[]>();
      img.stages.forEach((s, i) => {
        const [, base, copyFrom, mountFrom] = spec[i]!;
        assert.equal(s.parent, scanFind(base, seen), `FROM ${base} in ${JSON.stringify(text)}`);
        if (copyFrom) assert.equal(s.copies[0]!.fromStage, scanFind(copyFrom, [...seen, { ...(s.name ? { name: s.name } : {}), index: i }]), text);
        const edges = [s.parent, s.copies[0]?.fromStage];
        if (mountFrom) edges.push(img.stages.findIndex((x) => x.name?.toLowerCase() === mountFrom.toLowerCase() || String(x.index) === mountFrom));
        reach.set(i, edges.filter((e): e is number => e !== undefined && e >= 0));
        seen.push({ ...(s.name ? { name: s.name } : {}), index: i });
      });
      const want = new Set<number>();
      const visit = (i: number): void => {
        if (want.has(i)) return;
        want.add(i);
        for (const e of reach.get(i) ?? []) visit(e);
      };
      const last = img.stages[img.stages.length - 1]!;
      visit(last.index);
      assert.deepEqual([...reachableStages(img, last)].sort(), [...want].sort(), text);
    }),
    { numRuns: 3000 },
  );
});

test('stages: a chain of 20,000 stages is linked without recursion (no stack overflow) and without rescanning', () => {
  const lines = ['FROM python:3.12 AS s0'];
  for (let i = 1; i < 20000; i++) lines.push(`FROM s${i - 1} AS s${i}`);
  const img = build(`${lines.join('\n')}\nRUN uv sync\n`);
  const last = img.stages[img.stages.length - 1]!;
  assert.equal(last.parent, 19998);
  assert.equal(reachableStages(img, last).size, 20000);
});

test('resolveImagePath: the same source as scanning every COPY/ADD of every stage, on random files (property)', () => {
  // The reference: the model's scan before it kept an index of COPY destinations.
  const refMap = (p: string, src: string, dest: string, many: boolean, isDir: (rel: string) => boolean): string | undefined => {
    const s = src.replace(/^\.\//, '').replace(/^\/+/, '').replace(/\/+$/, '');
    if (/[*?[]/.test(src)) {
      // A pattern in its last segment, copied into a folder: a matching file keeps its name there (every file exists here).
      const slash = s.lastIndexOf('/');
      if (!(dest.endsWith('/') || many) || /[*?[]/.test(s.slice(0, slash + 1))) return undefined;
      const d = dest.replace(/\/+$/, '') || '';
      const name = p.slice(p.lastIndexOf('/') + 1);
      if (p.slice(0, p.lastIndexOf('/')) !== d || !path.posix.matchesGlob(name, s.slice(slash + 1))) return undefined;
      return slash < 0 ? name : `${s.slice(0, slash)}/${name}`;
    }
    const srcIsDir = s === '' || s === '.' || isDir(s);
    const destDir = dest.endsWith('/') || many || srcIsDir;
    const d = dest.replace(/\/+$/, '') || '';
    if (srcIsDir) {
      if (p === d || !p.startsWith(`${d}/`)) return undefined;
      const inner = p.slice(d.length + 1);
      return s === '' || s === '.' ? inner : `${s}/${inner}`;
    }
    if (destDir) return p === `${d}/${path.posix.basename(s)}` ? s : undefined;
    return p === d ? s : undefined;
  };
  type Img = ReturnType<typeof build>;
  const refResolve = (p: string, stage: Img['stages'][number], image: Img, isDir: (abs: string) => boolean, depth = 0, beforeLine?: number): { abs: string; copyLoc: unknown } | undefined => {
    if (depth > 8) return undefined;
    for (let s: typeof stage | undefined = stage; s; s = s.parent !== undefined ? image.stages[s.parent] : undefined) {
      for (let i = s.copies.length - 1; i >= 0; i--) {
        const c = s.copies[i]!;
        if (s === stage && beforeLine !== undefined && c.loc.line >= beforeLine) continue;
        for (const src of c.sources) {
          const rel = refMap(p, src.path, c.dest, c.sources.length > 1, (x) => (c.fromStage === undefined && !c.from ? isDir(path.join('/ctx', x)) : false));
          if (rel === undefined) continue;
          if (c.fromStage !== undefined) {
            const r = refResolve(normalizePath(rel), image.stages[c.fromStage]!, image, isDir, depth + 1);
            if (r) return r;
            continue;
          }
          if (c.from) continue;
          return { abs: path.join('/ctx', rel), copyLoc: c.loc };
        }
      }
    }
    return undefined;
  };
  const dirs = new Set(['/ctx/app', '/ctx/bin', '/ctx/app/bin']);
  const isDir = (abs: string): boolean => dirs.has(abs);
  const copy = fc.tuple(
    fc.constantFrom('', '--from=0 ', '--from=ghcr.io/astral-sh/uv:0.5 ', '--chown=1:1 '),
    fc.array(fc.constantFrom('app', 'app/', './bin', 'bin/tool', '*.py', '.', 'entrypoint.sh', '/app/bin'), { minLength: 1, maxLength: 2 }),
    fc.constantFrom('/app', '/app/', '/usr/local/bin/', '/', '.', 'bin', 'bin/', '/opt/x', '/entrypoint.sh'),
  ).map(([flag, srcs, dest]) => `COPY ${flag}${srcs.join(' ')} ${dest}`);
  const stageText = fc.tuple(fc.constantFrom('FROM python:3.12', 'FROM 0', 'FROM python:3.12 AS b'), fc.option(fc.constantFrom('WORKDIR /app', 'WORKDIR /srv')), fc.array(copy, { maxLength: 5 }))
    .map(([from, wd, copies]) => [from, ...(wd ? [wd] : []), ...copies].join('\n'));
  let found = 0;
  const query = fc.constantFrom('/app', '/app/main.py', '/usr/local/bin/tool', '/entrypoint.sh', '/bin/tool', '/opt/x', '/', '/app/bin/tool', '/srv/bin/tool', '/app/entrypoint.sh', '/usr/local/bin/entrypoint.sh');
  fc.assert(
    fc.property(fc.array(stageText, { minLength: 1, maxLength: 3 }), query, fc.option(fc.integer({ min: 1, max: 20 })), (stages, p, before) => {
      const img = build(`${stages.join('\n')}\n`);
      const last = img.stages[img.stages.length - 1]!;
      const got = resolveImagePath(p, last, img, "/ctx", { isDir, exists: () => true }, 0, before ?? undefined);
      if (got) found++;
      assert.deepEqual(got, refResolve(p, last, img, isDir, 0, before ?? undefined), `${stages.join('\n')}\n? ${p}`);
    }),
    { numRuns: 5000 },
  );
  assert.ok(found > 400, `only ${found} paths resolved`);
});

test('# escape=` files: RUN commands are analysed, continued by the directive character (positions kept)', () => {
  const img = build('# escape=`\nFROM x\nRUN echo a `\n  # note\n  && uv sync `\n     --locked\nRUN C:\\tools\\uv.exe pip install x\nCMD uv run `\n  app\n');
  const run = img.stages[0]!.runs[0]!;
  assert.equal(run.shellError, undefined);
  const uv = run.commands[1]!;
  assert.deepEqual(uv.words.map((w) => w.text), ['uv', 'sync', '--locked']);
  assert.deepEqual([uv.words[2]!.loc.line, uv.words[2]!.loc.column], [6, 6]);
  // A backslash is no escape character there: it stays in the word.
  assert.equal(img.stages[0]!.runs[1]!.commands[0]!.words[0]!.text, 'C:\\tools\\uv.exe'.replace(/\\(.)/g, '$1'));
  assert.equal(img.stages[0]!.cmd!.words[2]!.text, 'uv run \\\n  app');
});
