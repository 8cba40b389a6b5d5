/**
 * Saved groups as the admin API and the CLI manage them: schema, storable text, then the store. A group named by the
 * condition of an experiment that is not archived cannot be deleted (409 naming the experiments): the experiment
 * would silently target no one (`$inGroup`) or everyone (`$notInGroup`).
 */
import { LIMITS, jsonValueProblem, type RequestBody, type SavedGroupRecord } from '@ab-calicritters/core';
import { MAX_ERROR_DETAILS, badRequest, conflict, notFound, type ErrorDetail } from '../http/http-error.js';
import { parse } from '../http/schema-validator.js';
import { SavedGroupInUseError, type SavedGroupChanges } from '../storage/saved-group-store.js';
import type { Storage } from '../storage/storage.js';
import { DuplicateKeyError } from '../storage/unique-flush.js';

/** Saved groups, checked: what the admin routes and the CLI's direct mode call. */
export type SavedGroupAdmin = ReturnType<typeof createSavedGroupAdmin>;

function invalid(problems: readonly ErrorDetail[]) {
  const fields = [...new Set(problems.slice(0, MAX_ERROR_DETAILS).map((p) => p.field))].join(', ');
  return badRequest('invalid_saved_group', `The saved group is invalid (${fields})`, problems);
}

/** Each value a string of 1..256 characters without NUL, or a number; the position of every other one. */
function valueProblems(values: readonly unknown[] | undefined): ErrorDetail[] {
  return (values ?? []).flatMap((value, i) => {
    const field = `/values/${i}`;
    if (typeof value === 'number') return [];
    if (typeof value !== 'string') return [{ field, message: 'must be a string or a number' }];
    if (value.length > LIMITS.maxUserIdLength)
      return [{ field, message: `must be at most ${LIMITS.maxUserIdLength} characters` }];
    if (value.includes('\u0000')) return [{ field, message: 'must not contain NUL characters' }];
    return [];
  });
}

/** The body checked against its schema and for text PostgreSQL can store, or a 400 naming the fields. */
function checked<K extends 'SavedGroupDefinition' | 'SavedGroupPatch'>(id: K, body: unknown): RequestBody<K> {
  if (id === 'SavedGroupPatch' && body && typeof body === 'object' && 'key' in body) {
    throw invalid([{ field: '/key', message: 'the key of a saved group cannot change' }]);
  }
  const parsed = parse(id, body);
  if (!parsed.ok) throw invalid(parsed.problems);
  const values = valueProblems(parsed.value.values);
  if (values.length > 0) throw invalid(values);
  const text = jsonValueProblem(parsed.value);
  if (text) throw invalid([{ field: text.path || '/', message: text.message }]);
  return parsed.value;
}

/**
 * @param onChange called after every change, to drop the cached groups (they are cached with the experiments).
 */
export function createSavedGroupAdmin(storage: Storage, onChange: () => void = () => undefined) {
  return {
    /** By key. */
    list: (): Promise<SavedGroupRecord[]> => storage.savedGroups.list(),

    async get(key: string): Promise<SavedGroupRecord> {
      const record = await storage.savedGroups.get(key);
      if (!record) throw notFound(`saved group '${key}' does not exist`);
      return record;
    },

    async create(body: unknown): Promise<SavedGroupRecord> {
      const def = checked('SavedGroupDefinition', body);
      try {
        const record = await storage.savedGroups.create({ key: def.key, name: def.name ?? null, values: def.values });
        onChange();
        return record;
      } catch (error) {
        if (error instanceof DuplicateKeyError) throw conflict(`saved group '${def.key}' already exists`);
        throw error;
      }
    },

    /** Changes the name and/or replaces the values; the key never changes. */
    async update(key: string, body: unknown): Promise<SavedGroupRecord> {
      const patch = checked('SavedGroupPatch', body);
      const changes: SavedGroupChanges = {};
      if (patch.name !== undefined) changes.name = patch.name;
      if (patch.values !== undefined) changes.values = patch.values;
      const record = await storage.savedGroups.update(key, changes);
      if (!record) throw notFound(`saved group '${key}' does not exist`);
      onChange();
      return record;
    },

    /** Deletes the group and answers it as it was; a 409 naming the experiments whose conditions still use it. */
    async remove(key: string): Promise<SavedGroupRecord> {
      let record: SavedGroupRecord | null;
      try {
        record = await storage.savedGroups.remove(key);
      } catch (error) {
        if (error instanceof SavedGroupInUseError) {
          const message = `${error.message}: change or archive ${error.experimentKeys.length > 1 ? 'them' : 'it'} first`;
          throw conflict(message);
        }
        throw error;
      }
      if (!record) throw notFound(`saved group '${key}' does not exist`);
      onChange();
      return record;
    },
  };
}
