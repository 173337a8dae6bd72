/**
 * The JSON Schema of `.ro-uv-check.yml`, built from the rule registry: the config loader validates against it, and
 * `npm run docs` writes it to schema/ro-uv-check.schema.json for editors (yaml-language-server). One source: a rule
 * added to the registry is accepted by both.
 */

export interface RuleRef {
  id: string;
  name: string;
}

export const SEVERITY_VALUES = ['error', 'warning', 'notice', 'off'] as const;

export function configSchema(rules: readonly RuleRef[]): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'ro-uv-check configuration (.ro-uv-check.yml)',
    description: 'Configuration of ro-uv-check: rules to ignore, severity overrides, paths to exclude, and which services the hardening rules cover.',
    type: 'object',
    additionalProperties: false,
    properties: {
      ignore: {
        description: 'Rules not to report, by id (UV201) or name (run-syncs-at-start).',
        type: 'array',
        items: { $ref: '#/definitions/rule' },
      },
      severity: {
        description: 'Severity per rule (id or name): error, warning, notice, or off (not reported).',
        type: 'object',
        propertyNames: { $ref: '#/definitions/rule' },
        additionalProperties: { enum: [...SEVERITY_VALUES] },
      },
      exclude: {
        description: 'Globs, relative to the scanned root, of files and folders not to read (at most two `*` in one path segment, no extended globs).',
        type: 'array',
        items: { type: 'string' },
      },
      scope: {
        description: 'uv (default): the hardening rules cover the services that run uv; all: every service.',
        enum: ['uv', 'all'],
      },
      production: {
        description: 'Globs, relative to the scanned root, naming the production compose files and Dockerfiles: every other one is development, analysed without the production-only rules (docs/adr/0001-production-stack.md). Absent: file names decide (*.prod.* is production, *.override.*, *.dev.*, *.local.*, *.test.*, *.debug.* development).',
        type: 'array',
        items: { type: 'string' },
        minItems: 1,
      },
      'uv-version': {
        description: 'The uv version fixes pin to (UV106), as X.Y.Z.',
        type: 'string',
        pattern: '^\\d+\\.\\d+\\.\\d+$',
      },
    },
    definitions: {
      rule: {
        description: 'A rule id or name.',
        type: 'string',
        enum: [...rules.map((r) => r.id), ...rules.map((r) => r.name)],
      },
    },
  };
}

/** The schema file's text (schema/ro-uv-check.schema.json). */
export function configSchemaJson(rules: readonly RuleRef[]): string {
  return `${JSON.stringify(configSchema(rules), null, 2)}\n`;
}
