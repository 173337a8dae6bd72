import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseShell, offsetMap, takesFastPath } from '../../src/core/parse/shell.js';


const words = (src: string, lookup: Record<string, string> = {}): string[][] =>
  parseShell(src, 'x', offsetMap(1, 1), (n) => lookup[n]).commands.map((c) => c.words.map((w) => w.text ?? '<?>'));

test('splits through && || ; pipes if/then subshells and functions', () => {
  assert.deepEqual(words('a && b || c; d | e\nif f; then (g); else h; fi\nk() { l; }\n'), [['a'], ['b'], ['c'], ['d'], ['e'], ['f'], ['g'], ['h'], ['l']]);
});

test('removes exec, env VAR=x, nohup, gosu and tini wrappers and keeps the assignments', () => {
  const p = parseShell('exec env -i A=1 B=2 nohup gosu app tini -- uv run x', 'x', offsetMap(1, 1), () => undefined);
  const c = p.commands[0]!;
  assert.deepEqual(c.words.map((w) => w.text), ['uv', 'run', 'x']);
  assert.equal(c.exec, true);
  assert.equal(c.assigns.get('A')?.value, '1');
  assert.equal(c.assigns.get('B')?.value, '2');
});

test('leading assignments and exports', () => {
  const p = parseShell('export A=1\nB=2 cmd\ncmd2', 'x', offsetMap(1, 1), () => undefined);
  // `export` itself is not a command; it changes the environment of the commands after it.
  assert.deepEqual(p.commands.map((c) => c.words[0]?.text), ['cmd', 'cmd2']);
  assert.equal(p.commands[0]!.assigns.get('B')?.value, '2');
  assert.equal(p.commands[0]!.exported.get('A')?.value, '1');
  assert.equal(p.commands[1]!.exported.get('A')?.value, '1');
  assert.equal(p.commands[1]!.assigns.has('B'), false);
});

test('sh -c and bash -ec strings are parsed with positions inside the string', () => {
  const p = parseShell('sh -c "echo hi && uv sync"', 'x', offsetMap(3, 5), () => undefined);
  const uv = p.commands.find((c) => c.words[0]?.text === 'uv')!;
  assert.deepEqual([uv.words[0]!.loc.line, uv.words[0]!.loc.column], [3, 5 + 'sh -c "echo hi && '.length]);
  assert.deepEqual(words("bash -ec 'a; b'"), [['bash', '-ec', 'a; b'], ['a'], ['b']]);
});

test('quotes are removed and known variables expanded; unknown ones make the word unknown', () => {
  assert.deepEqual(words(`echo "a b" 'c' $X \${Y:-dflt} "$Z" \${X:+alt}`, { X: 'x' }), [['echo', 'a b', 'c', 'x', 'dflt', '<?>', 'alt']]);
});

test('a heredoc fed to a shell is parsed as a script, at its lines', () => {
  const p = parseShell('bash <<EOF\nset -e\nuv sync\nEOF\n', 'x', offsetMap(10, 5), () => undefined);
  const uv = p.commands.find((c) => c.words[0]?.text === 'uv')!;
  assert.equal(uv.words[0]!.loc.line, 12);
  assert.equal(uv.words[0]!.loc.column, 1);
  // but a heredoc fed to cat is data
  assert.deepEqual(words('cat <<EOF > f\nuv sync\nEOF\n'), [['cat']]);
});

test('redirect targets are kept', () => {
  const p = parseShell('echo x > /app/state.json 2>&1; echo y >> log', 'x', offsetMap(1, 1), () => undefined);
  assert.equal(p.commands[0]!.redirects[0]!.op, 'write');
  assert.equal(p.commands[0]!.redirects[0]!.target?.text, '/app/state.json');
  assert.equal(p.commands[1]!.redirects[0]!.op, 'append');
});

test('syntax errors come back with a position, never thrown', () => {
  const p = parseShell('echo ok\nif true; then\n', 'x', offsetMap(5, 1), () => undefined);
  assert.ok(p.error);
  assert.ok(p.error!.line >= 5);
});

test('"$@" is marked as the script arguments', () => {
  const p = parseShell('exec "$@"', 'x', offsetMap(1, 1), () => undefined);
  assert.equal(p.commands[0]!.words[0]!.allArgs, true);
  assert.equal(p.commands[0]!.exec, true);
});

test('non-ASCII words keep their text through the full parser (its strings are UTF-8 bytes)', () => {
  // The redirect sends this text to mvdan-sh rather than the fast path.
  assert.deepEqual(words("echo 'é→' \"ü\" naïve > /tmp/f"), [['echo', 'é→', 'ü', 'naïve']]);
});

test('${A-d} ${A:-d} ${A+x} ${A:+x}: unset and empty follow the shell, and the operator is the one after the name', () => {
  const env: Record<string, string> = { SET: 'v', EMPTY: '' };
  // The arithmetic keeps this on mvdan-sh; shell-fast.test.ts holds the fast path to the same answers.
  const w = (s: string): (string | null)[] => {
    const text = `echo ${s}; echo $((1))`;
    assert.equal(takesFastPath(text), false);
    return parseShell(text, 'x', offsetMap(1, 1), (n) => env[n]).commands[0]!.words.slice(1).map((x) => x.text);
  };
  // Quoted, so that an empty value stays a word (unquoted, field splitting drops it, as the shell does).
  assert.deepEqual(w('"${EMPTY-d}" "${EMPTY:-d}" "${UNSET-d}" "${SET:-d}"'), ['', 'd', 'd', 'v']);
  assert.deepEqual(w('"${EMPTY+x}" "${EMPTY:+x}" "${UNSET+x}" "${SET:+x}"'), ['x', '', '', 'x']);
  assert.deepEqual(w('${EMPTY-d} ${EMPTY:+x} ${SET:-d}'), ['v']);
  assert.deepEqual(w('${UNSET:-x+y} ${SET#x-y} ${UNSET:?msg}'), ['x+y', null, null]);
});

test('full parser: word positions in non-ASCII text point at the words (property), and a long non-ASCII script is read in linear time', () => {
  // `case` sends the text to mvdan-sh, whose offsets count UTF-8 bytes.
  const piece = fc.constantFrom('é', 'x', '日本', '😀', '"ü v"', "'ß'", 'uv', 'sync', '&&', ';', '\n', '$A', '|', 'case a in a) b;; esac');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), (ps) => {
      const text = `case z in z) true;; esac\n${ps.join(' ')}`;
      assert.equal(takesFastPath(text), false);
      const lines = text.split('\n');
      for (const c of parseShell(text, 'x', offsetMap(1, 1), () => undefined).commands) {
        for (const w of c.words) assert.ok((lines[w.loc.line - 1] ?? '').slice(w.loc.column - 1).startsWith(w.raw.split('\n')[0]!), JSON.stringify({ text, w }));
      }
    }),
    { numRuns: 3000 },
  );
  // 20,000 commands with non-ASCII text (decoding a prefix at each position took 30 s): the last word is found.
  const long = `case x in x) true;; esac && ${'echo é && '.repeat(20000)}uv sync`;
  const last = parseShell(long, 'x', offsetMap(1, 1), () => undefined).commands.at(-1)!;
  assert.deepEqual([last.words[0]!.text, last.words[0]!.loc.column], ['uv', long.length - 'uv sync'.length + 1]);
});

test('full parser: a chain of 20,000 && commands is walked without running out of stack, and 100,000 wrappers unwrap', () => {
  const chain = parseShell(`case x in x) true;; esac && ${'echo a && '.repeat(20000)}uv sync`, 'x', offsetMap(1, 1), () => undefined);
  assert.equal(chain.error, undefined);
  assert.equal(chain.commands.length, 20002);
  assert.deepEqual(chain.commands.at(-1)!.words.map((w) => w.text), ['uv', 'sync']);
  const wrapped = parseShell(`${'env '.repeat(50000)}${'exec '.repeat(50000)}uv sync`, 'x', offsetMap(1, 1), () => undefined);
  assert.deepEqual(wrapped.commands[0]!.words.map((w) => w.text), ['uv', 'sync']);
});

test('full parser: nesting deeper than the parser can follow is an error that says so, not a crash', () => {
  const p = parseShell(`${'( '.repeat(5000)}uv sync${' )'.repeat(5000)}`, 'x', offsetMap(1, 1), () => undefined);
  assert.match(p.error?.message ?? '', /nested too deeply/);
});
