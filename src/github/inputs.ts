/** Action inputs, read through a getter (so tests need no environment) and validated with clear messages. */
import type { Severity } from '../core/types.js';

export interface ActionInputs {
  workingDirectory: string;
  dockerfiles: string[];
  composeFiles: string[];
  config: string;
  failOn: Severity | 'never';
  /** `auto` (true): a check run when the token can, else workflow commands; `commands`: workflow commands only. */
  annotations: 'auto' | 'commands' | 'off';
  comment: boolean;
  githubToken: string;
  sarifFile: string;
  findingsFile: string;
  smokeTest: boolean;
  suggestions: boolean;
  pullRequestNumber?: number;
}

export class InputError extends Error {}

const FAIL_ON = ['error', 'warning', 'notice', 'never'] as const;

function bool(name: string, v: string, dflt: boolean): boolean {
  if (v === '') return dflt;
  if (/^(true|yes|on|1)$/i.test(v)) return true;
  if (/^(false|no|off|0)$/i.test(v)) return false;
  throw new InputError(`input "${name}" must be true or false (got "${v}")`);
}

const lines = (v: string): string[] => v.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);

export function readInputs(get: (name: string) => string): ActionInputs {
  const failOn = get('fail-on').trim() || 'error';
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    throw new InputError(`input "fail-on" must be one of ${FAIL_ON.join(', ')} (got "${failOn}")`);
  }
  return {
    workingDirectory: get('working-directory').trim() || '.',
    dockerfiles: lines(get('dockerfiles')),
    composeFiles: lines(get('compose-files')),
    config: get('config').trim(),
    failOn: failOn as ActionInputs['failOn'],
    annotations: annotationsInput(get('annotations').trim()),
    comment: bool('comment', get('comment').trim(), true),
    githubToken: get('github-token').trim(),
    sarifFile: get('sarif-file').trim(),
    findingsFile: get('findings-file').trim(),
    smokeTest: bool('smoke-test', get('smoke-test').trim(), false),
    suggestions: bool('suggestions', get('suggestions').trim(), false),
    ...prNumber(get('pull-request-number').trim()),
  };
}

function annotationsInput(v: string): ActionInputs['annotations'] {
  if (v === 'commands') return 'commands';
  if (/^(false|no|off|0)$/i.test(v)) return 'off';
  if (v === '' || /^(true|yes|on|1)$/i.test(v)) return 'auto';
  throw new InputError(`input "annotations" must be true, false or commands (got "${v}")`);
}

function prNumber(v: string): { pullRequestNumber?: number } {
  if (v === '') return {};
  if (!/^[1-9]\d{0,9}$/.test(v)) throw new InputError(`input "pull-request-number" must be a pull request number (got "${v}")`);
  return { pullRequestNumber: Number(v) };
}
