/** `.ro-uv-check.yml`: ignore, severity, exclude, scope (and uv-version for fixes), validated by a JSON schema. */
import { Ajv } from 'ajv';
import type { Loc, Severity } from './types.js';
import { parseCompose, get, entry, type PNode } from './parse/compose.js';

export interface Config {
  ignore: string[];
  severity: Record<string, Severity | 'off'>;
  exclude: string[];
  scope: 'uv' | 'all';
  uvVersion?: string;
}

export const DEFAULT_CONFIG: Config = { ignore: [], severity: {}, exclude: [], scope: 'uv' };

export interface ConfigError {
  message: string;
  loc: Loc;
}

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ignore: { type: 'array', items: { type: 'string' } },
    severity: { type: 'object', additionalProperties: { enum: ['error', 'warning', 'notice', 'off'] } },
    exclude: { type: 'array', items: { type: 'string' } },
    scope: { enum: ['uv', 'all'] },
    'uv-version': { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$' },
  },
} as const;

let validate: ReturnType<Ajv['compile']> | undefined;

function strip(n: PNode): unknown {
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') return n.items.map(strip);
  return Object.fromEntries([...n.entries].map(([k, e]) => [k, strip(e.value)]));
}

/** Parses and validates a config file; `knownRule` says whether an id or name exists. */
export function loadConfig(file: string, text: string, knownRule: (idOrName: string) => boolean): { config: Config; errors: ConfigError[] } {
  const errors: ConfigError[] = [];
  const parsed = parseCompose(file, text, undefined);
  const at = (line = 1, column = 1): Loc => ({ file, line, column, endLine: line, endColumn: column });
  if (parsed.error) {
    const mapping = /must be a mapping/.test(parsed.error.message);
    // (The YAML reader is the compose one: its message names a compose file.)
    if (!mapping || text.trim() !== '') errors.push(mapping ? { ...parsed.error, message: parsed.error.message.replace(/^a compose file/, 'the config file') } : parsed.error);
    return { config: DEFAULT_CONFIG, errors };
  }
  const root = parsed.root;
  if (!root) return { config: DEFAULT_CONFIG, errors };
  const data = strip(root) as Record<string, unknown>;
  validate ??= new Ajv({ allErrors: true }).compile(SCHEMA);
  if (!validate(data)) {
    for (const e of validate.errors ?? []) {
      const parts = e.instancePath.split('/').filter(Boolean);
      let node: PNode | undefined = root;
      let loc = root.loc;
      for (const p of parts) {
        const ent = entry(node, p);
        if (ent) {
          loc = ent.keyLoc;
          node = ent.value;
        } else if (node?.kind === 'seq' && /^\d+$/.test(p)) {
          node = node.items[Number(p)];
          if (node) loc = node.loc;
        }
      }
      if (e.keyword === 'additionalProperties') {
        const extra = String((e.params as { additionalProperty?: string }).additionalProperty);
        const ent = entry(node, extra);
        errors.push({ message: `unknown config key "${extra}"${parts.length ? ` under "${parts.join('.')}"` : ''}`, loc: ent?.keyLoc ?? loc });
      } else if (e.keyword === 'enum') {
        errors.push({ message: `${parts.join('.') || 'value'} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`, loc: node?.loc ?? loc });
      } else {
        errors.push({ message: `${parts.join('.') || 'config'} ${e.message ?? 'is invalid'}`, loc: node?.loc ?? loc });
      }
    }
  }
  const config: Config = { ...DEFAULT_CONFIG, ignore: [], severity: {}, exclude: [] };
  const ignore = get(root, 'ignore');
  if (Array.isArray(data.ignore)) {
    (data.ignore as unknown[]).forEach((id, i) => {
      if (typeof id !== 'string') return;
      if (!knownRule(id)) errors.push({ message: `unknown rule "${id}" in ignore`, loc: ignore?.kind === 'seq' ? (ignore.items[i]?.loc ?? at()) : at() });
      else config.ignore.push(id);
    });
  }
  const sev = get(root, 'severity');
  if (data.severity && typeof data.severity === 'object') {
    for (const [id, level] of Object.entries(data.severity as Record<string, unknown>)) {
      if (!knownRule(id)) errors.push({ message: `unknown rule "${id}" in severity`, loc: entry(sev, id)?.keyLoc ?? at() });
      else if (level === 'error' || level === 'warning' || level === 'notice' || level === 'off') config.severity[id] = level;
    }
  }
  const exclude = get(root, 'exclude');
  if (Array.isArray(data.exclude)) {
    (data.exclude as unknown[]).forEach((glob, i) => {
      if (typeof glob !== 'string') return;
      const why = riskyGlob(glob);
      if (why) errors.push({ message: `exclude pattern "${glob}" is not used: ${why}`, loc: exclude?.kind === 'seq' ? (exclude.items[i]?.loc ?? at()) : at() });
      else config.exclude.push(glob);
    });
  }
  if (data.scope === 'all' || data.scope === 'uv') config.scope = data.scope;
  if (typeof data['uv-version'] === 'string') config.uvVersion = data['uv-version'];
  return { config, errors };
}

/**
 * Exclude globs are matched (by picomatch) as JavaScript regular expressions against every path of the tree, and
 * such expressions backtrack: with 4 stars in one name a 255-character name takes 0.2 s, with more, minutes. The
 * patterns exclude lists need (`vendor/**`, `*.tmp`, `*-old*`) have at most 2; more, and extended globs, are refused.
 */
export function riskyGlob(glob: string): string | undefined {
  if (/[+@!*?]\(/.test(glob)) return 'extended globs (`+(…)`, `@(…)`, …) are not supported here';
  for (const segment of glob.split('/')) {
    const stars = segment.replace(/\*\*/g, '').split('*').length - 1;
    if (stars > 2) return 'more than 2 `*` in one path segment (matching such a pattern can take exponential time)';
  }
  return undefined;
}
