/**
 * Stores a prepared batch so that one value the database refuses never costs the others: if the set-based insert
 * fails with a data error (SQLSTATE class 22), the batch is split in halves until the refused events are alone,
 * and those are reported by their index in the request. Every insert is idempotent (ON CONFLICT DO NOTHING), so
 * retrying a half that partly went in before is safe. Other errors (an outage) fail the request as before.
 */
import type { RejectedEvent } from '@ab-calicritters/core';
import { isDataError } from '../storage/database-errors.js';

export interface StoredBatch {
  /** Rows that were new. */
  accepted: number;
  /** Events the database refused, by their index in the request. */
  refused: RejectedEvent[];
}

/** Events to store that can be cut in parts: an array of rows, or the route's column-wise EventBatch. */
interface Sliceable<B> {
  readonly length: number;
  slice(start: number, end?: number): B;
}

export async function storeEvents<B extends Sliceable<B>>(
  insert: (rows: B) => Promise<number>,
  rows: B,
  indexes: readonly number[],
): Promise<StoredBatch> {
  const result: StoredBatch = { accepted: 0, refused: [] };
  await storeSlice(insert, rows, indexes, result);
  result.refused.sort((a, b) => a.index - b.index);
  return result;
}

async function storeSlice<B extends Sliceable<B>>(
  insert: (rows: B) => Promise<number>,
  rows: B,
  indexes: readonly number[],
  result: StoredBatch,
) {
  if (rows.length === 0) return;
  try {
    result.accepted += await insert(rows);
  } catch (error) {
    if (!isDataError(error)) throw error;
    if (rows.length === 1) {
      const reason = (error as Error).message?.split('\n')[0]?.slice(0, 200) ?? 'invalid value';
      result.refused.push({ index: indexes[0]!, errors: [`the database refused a value: ${reason}`] });
      return;
    }
    const half = Math.ceil(rows.length / 2);
    await storeSlice(insert, rows.slice(0, half), indexes.slice(0, half), result);
    await storeSlice(insert, rows.slice(half), indexes.slice(half), result);
  }
}
