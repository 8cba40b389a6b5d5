/** "Did you mean …?" for an unknown field: the closest known name, when it is close enough to be the intended one. */

/** Longer names are never compared: a typo of a field name is short, and the distance costs length². */
const MAX_COMPARED_LENGTH = 64;

/** `userId`, `user-id` and `USER_ID` all mean `user_id`: compare without case and separators. */
const normalised = (name: string) => name.toLowerCase().replace(/[-_\s]/g, '');

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The known name closest to `name` by edit distance (ignoring case, `_` and `-`), if at most a third of its letters
 * (at least one) differ; otherwise undefined.
 * @example closestName('userId', ['user_id', 'attributes']) // 'user_id'
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  if (name.length > MAX_COMPARED_LENGTH) return undefined;
  const wanted = normalised(name);
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(wanted, normalised(candidate));
    const allowed = Math.max(1, Math.floor(normalised(candidate).length / 3));
    if (distance <= allowed && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}
