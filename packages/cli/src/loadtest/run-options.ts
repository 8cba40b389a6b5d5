/**
 * Validation of `loadtest run` options, with messages that name the flag. Load is only ever sent to this machine:
 * targets must be loopback addresses, and runs are bounded in length and concurrency.
 */
import {
  isLoadTestScenario,
  LOAD_TEST_SCENARIOS,
  type LoadTestPhase,
  type LoadTestScenario,
} from '@ab-calicritters/core';
import { CliError } from '../cli-error.js';
import { isLoopbackHost } from '../loopback-host.js';

/** The phases a run can be stored under. */
const PHASES: readonly LoadTestPhase[] = ['baseline', 'post_mitigation'];
/** Longest run accepted (5 minutes): the ledger of acknowledged rows lives in memory. */
const MAX_DURATION_MS = 300_000;
/** Shortest run accepted: autocannon measures in whole seconds. */
const MIN_DURATION_MS = 1_000;
/** Most concurrent connections accepted. */
export const MAX_CONNECTIONS = 1_000;
/** Most `--tag` pairs accepted. */
const MAX_TAGS = 20;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const TAG_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const usage = (message: string) => new CliError(message, 2);

/** A scenario name, or a usage error listing the valid ones. */
export function parseScenario(value: string): LoadTestScenario {
  if (!isLoadTestScenario(value))
    throw usage(`--scenario must be one of ${LOAD_TEST_SCENARIOS.join(', ')} (got '${value}')`);
  return value;
}

/** A phase name, or a usage error listing the valid ones. */
export function parsePhase(value: string): LoadTestPhase {
  if (!(PHASES as readonly string[]).includes(value))
    throw usage(`--phase must be one of ${PHASES.join(', ')} (got '${value}')`);
  return value as LoadTestPhase;
}

/** `30s`, `2m`, `1500ms` or a number of seconds. */
export function parseDuration(value: string | number): number {
  const text = String(value).trim();
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text);
  const unit = match?.[2] ?? 's';
  const durationMs = match ? Number(match[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000) : NaN;
  if (!Number.isFinite(durationMs) || durationMs < MIN_DURATION_MS || durationMs > MAX_DURATION_MS) {
    throw usage(`--duration must be from 1s to ${MAX_DURATION_MS / 60_000}m, like 30s, 2m or 1500ms (got '${text}')`);
  }
  return Math.round(durationMs);
}

/** Where `loadtest run` sends load without `--target`: CALICRITTERS_URL, else the standalone server's default. */
export function defaultTarget(env: NodeJS.ProcessEnv = process.env): string {
  return env.CALICRITTERS_URL?.trim() || 'http://localhost:3000';
}

/**
 * The last of an option given several times. yargs collects a repeated option into an array; for a single-valued
 * option the one given last wins, so `pnpm loadtest:baseline:mixed --duration 5s` overrides what a script set.
 * @example yargs.option('target', { type: 'string', coerce: lastValue })
 */
export function lastValue<T>(value: T | T[]): T {
  // yargs never hands over an empty array for a given option.
  return Array.isArray(value) ? (value[value.length - 1] as T) : value;
}

/** An http(s) URL on a loopback host; anything else is refused before a single request is sent. */
export function parseTarget(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usage(`--target must be a URL like http://localhost:3000 (got '${value}')`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw usage(`--target must be http:// or https:// (got '${url.protocol}')`);
  if (!isLoopbackHost(url.hostname)) {
    throw usage(
      `--target must be a loopback address (localhost, 127.0.0.0/8 or [::1]): load tests only drive a server on this machine (got '${url.hostname}')`,
    );
  }
  if (url.username || url.password || url.search || url.hash)
    throw usage('--target takes no credentials, query or fragment');
  return url;
}

/** A run name safe in file names and URLs. */
export function parseRunName(value: string): string {
  if (!NAME.test(value)) {
    throw usage(
      `--run-name must be 1-128 letters, digits, '_', '.', ':' or '-', starting with a letter or digit (got '${value}')`,
    );
  }
  return value;
}

/** `k=v` pairs into an object; a key given twice is refused. */
export function parseTags(values: readonly string[] = []): Record<string, string> {
  if (values.length > MAX_TAGS) throw usage(`--tag may be given at most ${MAX_TAGS} times`);
  const tags: Record<string, string> = {};
  for (const pair of values) {
    const at = pair.indexOf('=');
    const key = at > 0 ? pair.slice(0, at) : '';
    const value = pair.slice(at + 1);
    if (!TAG_KEY.test(key) || value.length > 256)
      throw usage(`--tag takes key=value, e.g. --tag branch=main (bad tag '${pair}')`);
    if (key in tags) throw usage(`--tag ${key} is given twice`);
    tags[key] = value;
  }
  return tags;
}

/** An optional integer flag within [min, max]; undefined stays undefined. */
export function parseIntegerOption(
  name: string,
  value: number | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > max)
    throw usage(`--${name} must be an integer from ${min} to ${max} (got ${value})`);
  return value;
}
