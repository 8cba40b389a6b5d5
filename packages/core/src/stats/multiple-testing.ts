/** Multiple-testing corrections: adjusted p-values for a family of tests (arms of an experiment, goal metrics). */

/** Indices of the usable p-values (numbers in [0, 1]) sorted by ascending p-value. */
function sortedUsable(pValues: readonly (number | null)[]): number[] {
  const indices: number[] = [];
  pValues.forEach((p, i) => {
    if (p !== null && p >= 0 && p <= 1) indices.push(i);
  });
  return indices.sort((i, j) => (pValues[i] as number) - (pValues[j] as number));
}

/**
 * Holm–Bonferroni adjusted p-values, controlling the family-wise error rate (the chance of any false positive):
 * with the m usable p-values sorted p₍₁₎ ≤ … ≤ p₍ₘ₎, adj₍ᵢ₎ = max over j ≤ i of min(1, (m − j + 1) p₍ⱼ₎). Returned in
 * the input order; entries that are null or not a p-value stay null and do not count in m.
 * @example holmBonferroni([0.01, 0.04, 0.03]) // [0.03, 0.06, 0.06]
 */
export function holmBonferroni(pValues: readonly (number | null)[]): (number | null)[] {
  const order = sortedUsable(pValues);
  const adjusted: (number | null)[] = pValues.map(() => null);
  const m = order.length;
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * (pValues[index] as number)));
    adjusted[index] = running;
  });
  return adjusted;
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values), controlling the false discovery rate: with the m usable
 * p-values sorted, adj₍ᵢ₎ = min over j ≥ i of min(1, m p₍ⱼ₎ / j). Returned in the input order; entries that are
 * null or not a p-value stay null and do not count in m.
 * @example benjaminiHochberg([0.01, 0.04, 0.03]) // [0.03, 0.04, 0.04]
 */
export function benjaminiHochberg(pValues: readonly (number | null)[]): (number | null)[] {
  const order = sortedUsable(pValues);
  const adjusted: (number | null)[] = pValues.map(() => null);
  const m = order.length;
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const index = order[rank] as number;
    running = Math.min(running, (m * (pValues[index] as number)) / (rank + 1));
    adjusted[index] = running;
  }
  return adjusted;
}
