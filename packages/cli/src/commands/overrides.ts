/**
 * `calicritters overrides set|list|remove`: QA overrides (a user forced into a variant of an experiment, optionally
 * until a time), with the admin API's checks, in the database directly or through a running server's admin API.
 */
import type { OverrideRecord } from '@ab-calicritters/core';
import { HttpError, type RuleAdmin } from '@ab-calicritters/server';
import { CliError } from '../cli-error.js';
import { formatTable } from './rule-table.js';

/** Where overrides live: `createRuleAdmin(storage)`, or a running server through `createAdminApiClient`. */
export interface OverridesTarget {
  overrides: RuleAdmin['overrides'];
}

/**
 * A refusal of the checks as a one-line CliError: exit code 2 for invalid input, 1 for anything else refused (a
 * missing experiment, an archived one). Other errors pass unchanged.
 */
export async function asCliErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof HttpError) || error.status >= 500) throw error;
    const details = (error.details ?? []) as Array<{ field?: string; message?: string }>;
    const lines = details.map((d) => `\n  ${d.field ?? ''}: ${d.message ?? ''}`).join('');
    throw new CliError(`${error.message}${lines}`, error.status === 400 ? 2 : 1, { cause: error });
  }
}

const DURATION = /^(\d+)\s*(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * When an override given `--expires-at <time>` or `--expires-in <30m|12h|7d>` ends; undefined when neither is given.
 * @example expiryOf({ expiresIn: '7d' }, new Date('2026-06-01T00:00:00Z')) // '2026-06-08T00:00:00.000Z'
 */
export function expiryOf(input: { expiresAt?: string; expiresIn?: string }, now: Date): string | undefined {
  if (input.expiresAt !== undefined && input.expiresIn !== undefined) {
    throw new CliError('Give --expires-at or --expires-in, not both', 2);
  }
  if (input.expiresIn !== undefined) {
    const match = DURATION.exec(input.expiresIn.trim());
    if (!match || Number(match[1]) === 0) {
      throw new CliError(`--expires-in takes a duration such as 30m, 12h or 7d (got '${input.expiresIn}')`, 2);
    }
    const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    return new Date(now.getTime() + ms).toISOString();
  }
  return input.expiresAt;
}

export interface OverrideInput {
  variant: string;
  expiresAt?: string;
  expiresIn?: string;
  note?: string;
}

/** Forces the user into the variant, replacing any override they had. */
export async function setOverride(
  target: OverridesTarget,
  experimentKey: string,
  userId: string,
  input: OverrideInput,
  now: Date = new Date(),
): Promise<{ override: OverrideRecord; created: boolean }> {
  const expiresAt = expiryOf(input, now);
  const body = {
    variant: input.variant,
    ...(expiresAt !== undefined ? { expires_at: expiresAt } : {}),
    ...(input.note !== undefined ? { note: input.note } : {}),
  };
  return asCliErrors(() => target.overrides.set(experimentKey, userId, body));
}

/** The experiment's overrides by user id; expired ones only with `includeExpired`. */
export function listOverrides(
  target: OverridesTarget,
  experimentKey: string,
  options: { includeExpired?: boolean } = {},
): Promise<OverrideRecord[]> {
  return asCliErrors(() => target.overrides.list(experimentKey, options));
}

/** Removes the user's override: they are bucketed like everyone else from then on. */
export function removeOverride(
  target: OverridesTarget,
  experimentKey: string,
  userId: string,
): Promise<OverrideRecord> {
  return asCliErrors(() => target.overrides.remove(experimentKey, userId));
}

/** A fixed-width table for terminals. */
export function formatOverrides(records: readonly OverrideRecord[]): string {
  if (records.length === 0) return 'No overrides.';
  return formatTable(
    ['USER', 'VARIANT', 'EXPIRES', 'NOTE'],
    records.map((r) => [
      r.user_id,
      r.variant,
      r.expires_at ? `${r.expires_at}${r.expired ? ' (expired)' : ''}` : 'never',
      r.note ?? '',
    ]),
  );
}
