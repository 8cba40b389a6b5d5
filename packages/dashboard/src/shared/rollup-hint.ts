/**
 * What to say about a window the experiments rollup has never computed (the API's `computed_at: null`): that it is
 * not computed yet, which is not the same as nobody assigned, and the command that computes it.
 */

/** The command that computes every rollup for a window of `days` days (and the standard windows below it). */
export function rollupCommand(days: number): string {
  return `calicritters rollup --window-days ${days}`;
}

/** True when an experiment's figures for the window were never computed (`computed_at: null`). */
export function isNotComputed(result: { computed_at: string | null } | undefined): boolean {
  return result !== undefined && result.computed_at === null;
}
