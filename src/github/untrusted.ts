/**
 * Findings handed over from another workflow run (the fork-safe `workflow_run` pattern) are untrusted data: a pull
 * request from a fork controls the run that produced them. They are validated against a strict schema before
 * anything is rendered, and rendered through the same escaping as our own findings.
 */
import { Ajv } from 'ajv';
import type { Finding } from '../core/types.js';
import { RULES } from '../core/rules/index.js';

export const MAX_FINDINGS_BYTES = 5 * 1024 * 1024;

const SCHEMA = {
  type: 'array',
  maxItems: 10_000,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['ruleId', 'name', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'fix'],
    properties: {
      ruleId: { enum: RULES.map((r) => r.id) },
      name: { enum: RULES.map((r) => r.name) },
      severity: { enum: ['error', 'warning', 'notice'] },
      file: { type: 'string', maxLength: 1024, pattern: '^[^\\u0000-\\u001f]*$' },
      line: { type: 'integer', minimum: 1, maximum: 10_000_000 },
      column: { type: 'integer', minimum: 1, maximum: 10_000_000 },
      endLine: { type: 'integer', minimum: 1, maximum: 10_000_000 },
      endColumn: { type: 'integer', minimum: 1, maximum: 10_000_000 },
      message: { type: 'string', maxLength: 4000 },
      fix: { type: 'string', maxLength: 4000 },
    },
  },
} as const;

export function parseUntrustedFindings(text: string): { findings: Finding[] } | { error: string } {
  if (text.length > MAX_FINDINGS_BYTES) return { error: `the findings file is over ${MAX_FINDINGS_BYTES} bytes` };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: `the findings file is not JSON: ${(e as Error).message}` };
  }
  const validate = new Ajv({ allErrors: false }).compile(SCHEMA);
  if (!validate(data)) {
    const e = validate.errors?.[0];
    return { error: `the findings file does not match the findings schema: ${e?.instancePath || '(root)'} ${e?.message ?? ''}`.trim() };
  }
  const findings = data as Finding[];
  for (const f of findings) {
    const rule = RULES.find((r) => r.id === f.ruleId)!;
    if (rule.name !== f.name) return { error: `the findings file names rule ${f.ruleId} "${f.name}", which is not its name` };
  }
  return { findings };
}
