/**
 * Rules that depend on what is stored, checked by the experiment store inside the write's transaction so the admin
 * API and the CLI's direct mode refuse the same changes: fields that decide who gets which variant cannot change once
 * an experiment has run, a started experiment cannot go back to draft, a release names a variant, and namespace
 * claims of experiments that are not archived never overlap.
 */
import {
  namespaceOverlaps,
  type DefinitionProblem,
  type ExperimentPatch,
  type ExperimentRecord,
  type NamespaceClaim,
} from '@ab-calicritters/core';

/** Thrown by the experiment store: `conflict` with what is stored (HTTP 409), `invalid` change (HTTP 400). */
export class DefinitionConflictError extends Error {
  readonly code = 'definition_conflict';
  override name = 'DefinitionConflictError';
  constructor(
    readonly kind: 'conflict' | 'invalid',
    readonly problems: readonly DefinitionProblem[],
  ) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }
}

/**
 * Fields that decide a user's bucket: changing one would move users already assigned (their sticky rows stay, but
 * exposures and new users would follow another hash).
 */
const FIXED_ONCE_STARTED = ['seed', 'hash_attribute', 'fallback_attribute'] as const;

/** What an experiment's fields are after a change, as the rules see them. */
export type ExperimentState = Pick<
  ExperimentRecord,
  'key' | 'status' | 'seed' | 'hash_attribute' | 'fallback_attribute' | 'variants' | 'released_variant' | 'namespace'
>;

/** Throws when the change is refused; `before` is null for a new experiment. */
export function checkExperimentChange(
  before: ExperimentState | null,
  patch: ExperimentPatch,
  after: ExperimentState,
  otherClaims: () => readonly NamespaceClaim[],
): void {
  const conflicts: DefinitionProblem[] = [];
  if (before && before.status !== 'draft') {
    for (const field of FIXED_ONCE_STARTED) {
      if (field in patch && before[field] !== after[field]) {
        conflicts.push({
          field: `/${field}`,
          message: `the ${field} of an experiment that has started (status '${before.status}') cannot change: it would move assigned users; create a new experiment instead`,
        });
      }
    }
    if (after.status === 'draft') {
      conflicts.push({ field: '/status', message: `an experiment that has started cannot go back to 'draft'` });
    }
  }
  if (conflicts.length > 0) throw new DefinitionConflictError('conflict', conflicts);

  const invalid = releaseProblems(patch, after);
  if (invalid.length > 0) throw new DefinitionConflictError('invalid', invalid);

  if (after.namespace && 'namespace' in patch) {
    const mine = { key: after.key, namespace: after.namespace };
    const overlaps = namespaceOverlaps([mine, ...otherClaims()]).filter((o) => o.keys.includes(after.key));
    if (overlaps.length > 0) {
      throw new DefinitionConflictError(
        'conflict',
        overlaps.map((o) => {
          const other = o.keys[0] === after.key ? o.keys[1] : o.keys[0];
          return {
            field: '/namespace',
            message: `overlaps experiment '${other}' in namespace '${o.namespace}' on [${o.range[0]}, ${o.range[1]})`,
          };
        }),
      );
    }
  }
}

/** A release names one of the variants; `released_variant` is set only together with the status `released`. */
function releaseProblems(patch: ExperimentPatch, after: ExperimentState): DefinitionProblem[] {
  if (after.status === 'released') {
    if (after.released_variant === null) {
      return [{ field: '/released_variant', message: "the status 'released' needs released_variant (a variant key)" }];
    }
    if (!after.variants.some((v) => v.key === after.released_variant)) {
      return [{ field: '/released_variant', message: `'${after.released_variant}' is not one of the variants` }];
    }
    return [];
  }
  if (patch.released_variant !== undefined && patch.released_variant !== null) {
    return [{ field: '/released_variant', message: "released_variant is set together with the status 'released'" }];
  }
  return [];
}
