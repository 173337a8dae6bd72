/** `.ro-uv-check.yml`: ignore, severity, exclude, scope, production (and uv-version for fixes), validated by its JSON schema. */
import { Ajv, type ValidateFunction } from 'ajv';
import { configSchema, type RuleRef } from './config-schema.js';
import type { Loc, Severity } from './types.js';
import { parseCompose, get, entry, type PNode } from './parse/compose.js';

export interface Config {
  ignore: string[];
  severity: Record<string, Severity | 'off'>;
  exclude: string[];
  scope: 'uv' | 'all';
  uvVersion?: string;
  /**
   * Globs naming the production compose files and Dockerfiles: when given, every other compose file and Dockerfile
   * is development (analysed, without the production-only rules). Absent: file names decide (see discover.ts).
   */
  production?: string[];
}

export const DEFAULT_CONFIG: Config = { ignore: [], severity: {}, exclude: [], scope: 'uv' };

export interface ConfigError {
  message: string;
  loc: Loc;
}

const compiled = new WeakMap<readonly RuleRef[], ValidateFunction>();

function strip(n: PNode): unknown {
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') return n.items.map(strip);
  return Object.fromEntries([...n.entries].map(([k, e]) => [k, strip(e.value)]));
}

const RULE_REF = '#/definitions/rule/';

/**
 * Parses a config file and validates it against the config schema (schema/ro-uv-check.schema.json, built from
 * `rules`): every error is an RO901 message at the line of the value or key it is about.
 */
export function loadConfig(file: string, text: string, rules: readonly RuleRef[]): { config: Config; errors: ConfigError[] } {
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
  let validate = compiled.get(rules);
  if (!validate) {
    validate = new Ajv({ allErrors: true }).compile(configSchema(rules));
    compiled.set(rules, validate);
  }
  /** JSON pointers of the values (and keys) the schema rejected: they are left out of the config. */
  const invalid = new Set<string>();
  if (!validate(data)) {
    const all = validate.errors ?? [];
    // A value of the wrong type gets that message alone (not also "must be equal to one of the allowed values").
    const typed = new Set(all.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
    for (const e of all) {
      const parts = e.instancePath.split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
      // The inner error of a rejected key name: reported once, by its `propertyNames` error below.
      if ((e as { propertyName?: string }).propertyName !== undefined) continue;
      // A rejected key leaves out that key (below), not the mapping holding it.
      if (e.keyword !== 'propertyNames' && e.keyword !== 'additionalProperties') invalid.add(e.instancePath);
      if (e.keyword !== 'type' && typed.has(e.instancePath)) continue;
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
      const where = parts.join('.');
      if (e.keyword === 'additionalProperties') {
        const extra = String((e.params as { additionalProperty?: string }).additionalProperty);
        const ent = entry(node, extra);
        errors.push({ message: `unknown config key "${extra}"${parts.length ? ` under "${where}"` : ''}`, loc: ent?.keyLoc ?? loc });
      } else if (e.keyword === 'propertyNames') {
        const name = String((e.params as { propertyName?: string }).propertyName);
        invalid.add(`${e.instancePath}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`);
        errors.push({ message: `unknown rule "${name}" in ${where}`, loc: entry(node, name)?.keyLoc ?? loc });
      } else if (e.keyword === 'enum' && e.schemaPath.startsWith(RULE_REF)) {
        const value = parts.reduce<unknown>((v, p) => (v as Record<string, unknown> | undefined)?.[p], data);
        errors.push({ message: `unknown rule "${String(value)}" in ${parts[0] ?? 'config'}`, loc: node?.loc ?? loc });
      } else if (e.keyword === 'enum') {
        errors.push({ message: `${where || 'value'} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`, loc: node?.loc ?? loc });
      } else {
        errors.push({ message: `${where || 'config'} ${e.message ?? 'is invalid'}`, loc: node?.loc ?? loc });
      }
    }
  }
  const ok = (pointer: string): boolean => !invalid.has(pointer);
  const config: Config = { ...DEFAULT_CONFIG, ignore: [], severity: {}, exclude: [] };
  if (Array.isArray(data.ignore) && ok('/ignore')) (data.ignore as unknown[]).forEach((id, i) => ok(`/ignore/${i}`) && config.ignore.push(id as string));
  if (data.severity && typeof data.severity === 'object' && ok('/severity')) {
    for (const [id, level] of Object.entries(data.severity as Record<string, unknown>)) {
      if (ok(`/severity/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`)) config.severity[id] = level as Severity | 'off';
    }
  }
  const exclude = get(root, 'exclude');
  if (Array.isArray(data.exclude) && ok('/exclude')) {
    (data.exclude as unknown[]).forEach((glob, i) => {
      if (!ok(`/exclude/${i}`)) return;
      const why = riskyGlob(glob as string);
      if (why) errors.push({ message: `exclude pattern "${String(glob)}" is not used: ${why}`, loc: exclude?.kind === 'seq' ? (exclude.items[i]?.loc ?? at()) : at() });
      else config.exclude.push(glob as string);
    });
  }
  const production = get(root, 'production');
  if (Array.isArray(data.production) && data.production.length && ok('/production')) {
    config.production = [];
    (data.production as unknown[]).forEach((glob, i) => {
      if (!ok(`/production/${i}`)) return;
      const why = riskyGlob(glob as string);
      if (why) errors.push({ message: `production pattern "${String(glob)}" is not used: ${why}`, loc: production?.kind === 'seq' ? (production.items[i]?.loc ?? at()) : at() });
      else config.production!.push(glob as string);
    });
  }
  if (ok('/scope') && (data.scope === 'all' || data.scope === 'uv')) config.scope = data.scope;
  if (ok('/uv-version') && typeof data['uv-version'] === 'string') config.uvVersion = data['uv-version'];
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
