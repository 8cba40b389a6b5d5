/**
 * `calicritters holdouts create|list|update|archive`: holdouts (a stable share of users kept out of some experiments
 * or all), with the admin API's checks, in the database directly or through a running server's admin API.
 */
import type { HoldoutRecord } from '@ab-calicritters/core';
import type { RuleAdmin } from '@ab-calicritters/server';
import { CliError } from '../cli-error.js';
import { asCliErrors } from './overrides.js';
import { formatTable } from './rule-table.js';

/** Where holdouts live: `createRuleAdmin(storage)`, or a running server through `createAdminApiClient`. */
export interface HoldoutsTarget {
  holdouts: Pick<RuleAdmin['holdouts'], 'list' | 'create' | 'update' | 'archive'>;
}

export interface HoldoutInput {
  name?: string;
  seed?: string;
  share?: number;
  /** Comma-separated experiment keys. */
  experiments?: string;
  /** Cover every experiment. */
  all?: boolean;
}

/** The scope flags as body fields: `--experiments a,b` or `--all`, never both. */
function scope(input: HoldoutInput): { experiment_keys?: string[]; all_experiments?: boolean } {
  if (input.experiments !== undefined && input.all) throw new CliError('Give --experiments or --all, not both', 2);
  if (input.all) return { all_experiments: true };
  if (input.experiments === undefined) return {};
  const keys = input.experiments
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  return { experiment_keys: keys };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Active holdouts, oldest first; archived ones too with `includeArchived`. */
export function listHoldouts(
  target: HoldoutsTarget,
  options: { includeArchived?: boolean } = {},
): Promise<HoldoutRecord[]> {
  return asCliErrors(() => target.holdouts.list(options));
}

export function createHoldout(target: HoldoutsTarget, key: string, input: HoldoutInput): Promise<HoldoutRecord> {
  const body = definedOnly({ key, name: input.name, seed: input.seed, share: input.share, ...scope(input) });
  return asCliErrors(() => target.holdouts.create(body));
}

export function updateHoldout(target: HoldoutsTarget, key: string, input: HoldoutInput): Promise<HoldoutRecord> {
  if (input.seed !== undefined) {
    throw new CliError("A holdout's seed cannot change (it decides who is held out): create a new holdout", 2);
  }
  const body = definedOnly({ name: input.name, share: input.share, ...scope(input) });
  if (Object.keys(body).length === 0)
    throw new CliError('Nothing to update: pass --share, --experiments, --all or --name', 2);
  return asCliErrors(() => target.holdouts.update(key, body));
}

/** Archives a holdout: it holds out nobody from then on and stays for the record. Twice changes nothing. */
export function archiveHoldout(target: HoldoutsTarget, key: string): Promise<HoldoutRecord> {
  return asCliErrors(() => target.holdouts.archive(key));
}

/** A fixed-width table for terminals. */
export function formatHoldouts(records: readonly HoldoutRecord[]): string {
  if (records.length === 0) return 'No holdouts.';
  return formatTable(
    ['KEY', 'STATUS', 'SHARE', 'EXPERIMENTS'],
    records.map((r) => [r.key, r.status, String(r.share), r.all_experiments ? '(all)' : r.experiment_keys.join(' ')]),
  );
}
