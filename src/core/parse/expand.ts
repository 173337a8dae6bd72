/**
 * Variable substitution as Dockerfiles and compose files do it: `$VAR`, `${VAR}`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?err}`. Unknown variables become empty, as in both tools.
 */
export type VarLookup = (name: string) => string | undefined;

export interface ExpandOptions {
  /** Compose writes a literal `$` as `$$`; Dockerfiles use the escape character before `$`. */
  dollarDollar?: boolean;
  escape?: string;
}

/**
 * How deep `${A:-${B:-…}}` defaults are expanded; deeper ones are kept as written. (Each level recursed and scanned
 * the rest of the text: 20,000 levels in one compose value ran out of stack and killed the run.)
 */
const MAX_DEPTH = 32;

export function expandVars(text: string, lookup: VarLookup, opts: ExpandOptions = {}): string {
  return expand(text, lookup, opts, 0);
}

function expand(text: string, lookup: VarLookup, opts: ExpandOptions, depth: number): string {
  if (!text.includes('$')) return text;
  let out = '';
  let i = 0;
  const esc = opts.escape ?? (opts.dollarDollar ? undefined : '\\');
  while (i < text.length) {
    const ch = text[i]!;
    if (esc && ch === esc && text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (opts.dollarDollar && next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = matchBrace(text, i + 1);
      if (end < 0) {
        out += text.slice(i);
        break;
      }
      out += substitute(text.slice(i + 2, end), lookup, opts, depth);
      i = end + 1;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (m) {
      out += lookup(m[0]) ?? '';
      i += 1 + m[0].length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

function matchBrace(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}') {
      depth--;
      if (depth === 0) return j;
    }
  }
  return -1;
}

function substitute(body: string, lookup: VarLookup, opts: ExpandOptions, depth: number): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-+?=])(.*))?$/s.exec(body);
  if (!m) return '';
  const [, name, colon, op, word] = m;
  const value = lookup(name!);
  const set = colon ? value !== undefined && value !== '' : value !== undefined;
  if (!op) return value ?? '';
  const arg = depth < MAX_DEPTH ? expand(word ?? '', lookup, opts, depth + 1) : (word ?? '');
  switch (op) {
    case '-':
    case '=':
      return set ? value! : arg;
    case '+':
      return set ? arg : '';
    default: // '?': an error in compose; the value when set
      return value ?? '';
  }
}
