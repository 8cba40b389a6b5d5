/**
 * `calicritters saved-groups create|list|update|delete`: saved groups (lists of attribute values that `$inGroup` /
 * `$notInGroup` conditions name), with the admin API's checks, in the database directly or through a running server's
 * admin API.
 */
import { readFileSync } from 'node:fs';
import type { SavedGroupRecord } from '@ab-calicritters/core';
import type { SavedGroupAdmin } from '@ab-calicritters/server';
import { CliError } from '../cli-error.js';
import { asCliErrors } from './overrides.js';
import { formatTable } from './rule-table.js';

/** Where saved groups live: `createSavedGroupAdmin(storage)`, or a running server through `createAdminApiClient`. */
export interface SavedGroupsTarget {
  savedGroups: Pick<SavedGroupAdmin, 'list' | 'create' | 'update' | 'remove'>;
}

export interface SavedGroupInput {
  name?: string;
  /** Values separated by commas. */
  values?: string;
  /** A file of values, one a line (blank lines skipped). */
  file?: string;
  /** Every value is a number (`--values 1,2,3`), not a string. */
  numeric?: boolean;
}

/** The values from `--values` and/or `--file`, as strings or (with `--numeric`) numbers; undefined when neither. */
function values(input: SavedGroupInput): Array<string | number> | undefined {
  if (input.values === undefined && input.file === undefined) return undefined;
  const fromFlag = input.values === undefined ? [] : input.values.split(',').map((v) => v.trim());
  let fromFile: string[] = [];
  if (input.file !== undefined) {
    try {
      fromFile = readFileSync(input.file, 'utf8').split(/\r?\n/);
    } catch (error) {
      throw new CliError(`Cannot read --file ${input.file}: ${(error as Error).message}`, 2);
    }
  }
  const all = [...fromFlag, ...fromFile.map((v) => v.trim())].filter((v) => v !== '');
  if (!input.numeric) return all;
  return all.map((v) => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new CliError(`--numeric: '${v}' is not a number`, 2);
    return n;
  });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Every saved group, by key. */
export function listSavedGroups(target: SavedGroupsTarget): Promise<SavedGroupRecord[]> {
  return asCliErrors(() => target.savedGroups.list());
}

export function createSavedGroup(
  target: SavedGroupsTarget,
  key: string,
  input: SavedGroupInput,
): Promise<SavedGroupRecord> {
  const body = definedOnly({ key, name: input.name, values: values(input) ?? [] });
  return asCliErrors(() => target.savedGroups.create(body));
}

/** Renames the group and/or replaces its values whole. */
export function updateSavedGroup(
  target: SavedGroupsTarget,
  key: string,
  input: SavedGroupInput,
): Promise<SavedGroupRecord> {
  const body = definedOnly({ name: input.name, values: values(input) });
  if (Object.keys(body).length === 0) throw new CliError('Nothing to update: pass --values, --file or --name', 2);
  return asCliErrors(() => target.savedGroups.update(key, body));
}

/** Deletes a group; refused while the condition of an experiment (not archived) names it. */
export function deleteSavedGroup(target: SavedGroupsTarget, key: string): Promise<SavedGroupRecord> {
  return asCliErrors(() => target.savedGroups.remove(key));
}

/** A fixed-width table for terminals: the first values of each group. */
export function formatSavedGroups(records: readonly SavedGroupRecord[]): string {
  if (records.length === 0) return 'No saved groups.';
  const preview = (values: ReadonlyArray<string | number>) => {
    const shown = values.slice(0, 5).map(String).join(' ');
    return values.length > 5 ? `${shown} …` : shown;
  };
  return formatTable(
    ['KEY', 'NAME', 'VALUES', 'FIRST VALUES'],
    records.map((r) => [r.key, r.name ?? '', String(r.values.length), preview(r.values)]),
  );
}
