import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { toSarif } from '../../src/report/sarif.js';
import { RULES } from '../../src/core/rules/index.js';
import { analyzeRepo, PROJECT_ROOT } from '../helpers.js';
import { analyze } from '../../src/core/engine.js';
import * as path from 'node:path';

test('SARIF 2.1.0 with rule metadata, one location per result, stable fingerprints', async () => {
  const r = await analyze({ root: path.join(PROJECT_ROOT, 'examples', 'seed-before') });
  const sarif = toSarif(r.findings, '0.1.0', 'examples/seed-before/') as { version: string; runs: { tool: { driver: { rules: { id: string; name: string; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string; markdown: string }; defaultConfiguration: { level: string } }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[]; partialFingerprints: Record<string, string> }[] }[] };
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0]!;
  assert.equal(run.tool.driver.rules.length, RULES.length);
  for (const rule of run.tool.driver.rules) {
    assert.ok(rule.shortDescription.text && rule.fullDescription.text && rule.help.text && rule.help.markdown, rule.id);
    assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
  }
  assert.equal(run.results.length, r.findings.length);
  for (const res of run.results) {
    assert.equal(run.tool.driver.rules[res.ruleIndex]!.id, res.ruleId);
    assert.equal(res.locations.length, 1);
    assert.match(res.locations[0]!.physicalLocation.artifactLocation.uri, /^examples\/seed-before\//);
    assert.ok(res.locations[0]!.physicalLocation.region.startLine >= 1);
  }
  const again = toSarif(r.findings, '0.1.0', 'examples/seed-before/') as typeof sarif;
  assert.deepEqual(again.runs[0]!.results.map((x) => x.partialFingerprints), run.results.map((x) => x.partialFingerprints));
  assert.equal(new Set(run.results.map((x) => JSON.stringify(x.partialFingerprints))).size, run.results.length);
});

test('fingerprints survive a line shift', async () => {
  const df = 'FROM ghcr.io/astral-sh/uv:latest\n';
  const a = toSarif((await analyzeRepo({ Dockerfile: df })).findings, 'v') as { runs: { results: { partialFingerprints: unknown }[] }[] };
  const b = toSarif((await analyzeRepo({ Dockerfile: `# comment\n${df}` })).findings, 'v') as typeof a;
  assert.deepEqual(a.runs[0]!.results.map((x) => x.partialFingerprints), b.runs[0]!.results.map((x) => x.partialFingerprints));
});
