/** 32-bit FNV-1a over UTF-16 code units, the variant GrowthBook's SDKs use for bucketing. */

const FNV_OFFSET_BASIS = 0x811c9dc5;

/**
 * FNV-1a 32-bit hash of a string, as an unsigned integer.
 * It multiplies by the FNV prime (16777619) with shifts and adds so it stays exact in 32-bit integer math.
 * @example fnv1a32('a') // 3826002220
 */
export function fnv1a32(input: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (let i = 0; i < input.length; i++) {
    hash ^= input.charCodeAt(i);
    hash += (hash << 1) + (hash << 4) + (hash << 7) + (hash << 8) + (hash << 24);
  }
  return hash >>> 0;
}
