/** Direct inserts of test data with chosen timestamps (the API would stamp the real time). */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../src/storage/storage.js';
import { rawQuery } from '../../src/storage/raw-query.js';
import { storageOrm } from '../../src/testing.js';

export interface TestEvent {
  user_id: string;
  name: string;
  at: string;
  value?: number;
}

export async function insertEvents(storage: Storage, events: readonly TestEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    const rows = events.slice(i, i + 1000).map((e) => ({
      event_id: randomUUID(),
      user_id: e.user_id,
      name: e.name,
      client_timestamp: e.at,
      occurred_at: e.at,
      properties: e.value === undefined ? {} : { value: e.value },
    }));
    await storage.events.insertBatch(rows);
  }
}

/** One event row with its properties, at a chosen time (client and server time alike). */
export const eventRow = (user_id: string, name: string, at: string, properties: Record<string, unknown> = {}) => ({
  event_id: randomUUID(),
  user_id,
  name,
  client_timestamp: at,
  occurred_at: at,
  properties,
});

export async function insertAssignment(
  storage: Storage,
  experimentKey: string,
  userId: string,
  variant: string,
  at: string,
) {
  await rawQuery(
    storageOrm(storage).em.fork(),
    `insert into assignments (experiment_id, user_id, variant, assigned_at)
     select id, ?, ?, ?::timestamptz from experiments where key = ?`,
    [userId, variant, at, experimentKey],
  );
}

/** A user's row of a holdout, as the assignment path stores it, at a chosen time. */
export async function insertHoldoutAssignment(
  storage: Storage,
  holdoutKey: string,
  userId: string,
  arm: 'holdout' | 'exposed',
  at: string,
) {
  await rawQuery(
    storageOrm(storage).em.fork(),
    `insert into holdout_assignments (holdout_key, user_id, arm, assigned_at) values (?, ?, ?, ?::timestamptz)`,
    [holdoutKey, userId, arm, at],
  );
}
