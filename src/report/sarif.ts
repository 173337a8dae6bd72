import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../core/types.js';
import type { Edit } from '../core/fix.js';
import { RULES } from '../core/rules/index.js';
import { docsUrl } from '../core/rule.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', notice: 'note' };

/**
 * SARIF 2.1.0 for GitHub code scanning. `uriPrefix` turns root-relative paths into repository-relative ones when
 * the scanned root is a sub-folder of the repository.
 */
export function toSarif(findings: Finding[], version: string, uriPrefix = ''): object {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const seen = new Map<string, number>();
  // Independent of line numbers (a finding keeps its fingerprint when lines move); repeats are numbered.
  const fingerprint = (f: Finding, uri: string): string => {
    const base = createHash('sha256').update(`${f.ruleId}\0${uri}\0${f.message}`).digest('hex').slice(0, 32);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}:${n}`;
  };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ro-uv-check',
            version,
            informationUri: 'https://github.com/org/ro-uv-check',
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.summary },
              fullDescription: { text: r.rationale },
              helpUri: docsUrl(r.id),
              help: { text: `${r.rationale}\nFix: ${r.fix}`, markdown: `${r.rationale}\n\n**Fix:** ${r.fix}\n\n[Documentation](${docsUrl(r.id)})` },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { tags: ['docker', 'uv', 'read-only'] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => {
          const uri = `${uriPrefix}${f.file}`;
          return {
            ruleId: f.ruleId,
            ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
            level: LEVEL[f.severity],
            message: { text: `${f.message}\nFix: ${f.fix}` },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
                  region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: Math.max(f.endColumn, f.endLine === f.line ? f.column + 1 : 1) },
                },
              },
            ],
            partialFingerprints: { 'roUvCheck/v1': fingerprint(f, uri) },
            ...(f.edits?.length
              ? {
                  fixes: [
                    {
                      description: { text: f.fix },
                      artifactChanges: groupByFile(f.edits).map(([file, edits]) => ({
                        artifactLocation: { uri: `${uriPrefix}${file}`, uriBaseId: '%SRCROOT%' },
                        replacements: edits.map((e) => ({
                          deletedRegion: { startLine: e.line, startColumn: e.column, endLine: e.endLine, endColumn: e.endColumn },
                          insertedContent: { text: e.text },
                        })),
                      })),
                    },
                  ],
                }
              : {}),
          };
        }),
      },
    ],
  };
}

function groupByFile(edits: Edit[]): [string, Edit[]][] {
  const m = new Map<string, Edit[]>();
  for (const e of edits) m.set(e.file, [...(m.get(e.file) ?? []), e]);
  return [...m];
}
