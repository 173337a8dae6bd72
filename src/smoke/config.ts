/** Smoke options from action inputs or CLI flags, validated with messages that name the option. Pure. */
import { SMOKE_DEFAULTS, type SmokeConfig } from './index.js';

export class SmokeConfigError extends Error {}

/** `get` returns the raw value(s) of an option by its action input name (`smoke-duration`, …). */
export function readSmokeConfig(get: (name: string) => string[]): SmokeConfig {
  const one = (name: string): string | undefined => {
    const v = get(name).map((x) => x.trim()).filter(Boolean);
    return v.length ? v[v.length - 1] : undefined;
  };
  const lines = (name: string): string[] => get(name).flatMap((v) => v.split(/\r?\n/)).map((s) => s.trim()).filter(Boolean);
  const seconds = (name: string, dflt: number, max: number): number => {
    const v = one(name);
    if (v === undefined) return dflt;
    if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0 || Number(v) > max) throw new SmokeConfigError(`${name} must be a number of seconds between 0 and ${max} (got "${v}")`);
    return Number(v);
  };
  const flag = (name: string): boolean => {
    const v = one(name);
    if (v === undefined) return false;
    if (/^(true|yes|on|1)$/i.test(v)) return true;
    if (/^(false|no|off|0)$/i.test(v)) return false;
    throw new SmokeConfigError(`${name} must be true or false (got "${v}")`);
  };
  const expect = one('smoke-expect') ?? 'running';
  if (expect !== 'running' && expect !== 'exit-0') throw new SmokeConfigError(`smoke-expect must be running or exit-0 (got "${expect}")`);
  const network = one('smoke-network') ?? 'none';
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(network)) throw new SmokeConfigError(`smoke-network must be a Docker network name (got "${network}")`);
  const buildArgs = new Map<string, string>();
  for (const a of lines('smoke-build-args')) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new SmokeConfigError(`smoke-build-args takes NAME=value lines (got "${a}")`);
    buildArgs.set(a.slice(0, eq), a.slice(eq + 1));
  }
  const cfg: SmokeConfig = {
    ...SMOKE_DEFAULTS,
    duration: seconds('smoke-duration', SMOKE_DEFAULTS.duration, 3600),
    expect,
    allowWrites: lines('smoke-allow-writes'),
    timeout: seconds('smoke-timeout', SMOKE_DEFAULTS.timeout, 6 * 3600),
    network,
    profile: flag('smoke-profile'),
    keepImage: flag('smoke-keep-image'),
  };
  for (const [key, name] of [['service', 'smoke-service'], ['dockerfile', 'smoke-dockerfile'], ['context', 'smoke-context'], ['target', 'smoke-target'], ['image', 'smoke-image'], ['probe', 'smoke-probe']] as const) {
    const v = one(name);
    if (v !== undefined) cfg[key] = v;
  }
  if (buildArgs.size) cfg.buildArgs = buildArgs;
  return cfg;
}
