/**
 * The event batch insert as `POST /v1/events` runs it (the storage's statement: dedupe, clock-corrected times and
 * each user's current assignments attached), next to the same rows inserted by one hand-written statement without
 * the enrichment: what attaching assignments costs. 100-event batches of one user each (what an SDK sends),
 * interleaved over rounds in one run, PostgreSQL.
 * Usage: cd bench && node --import tsx event-insert.ts [--batches 200 --rounds 6]
 */
import { randomUUID } from 'node:crypto';
import { freshDatabase, printTable } from './bench-helpers.js';

const arg = (name: string) => Number(process.argv[process.argv.indexOf(name) + 1]) || undefined;
const BATCHES = arg('--batches') ?? 200;
const ROUNDS = arg('--rounds') ?? 6;
const USERS = 500;

const PLAIN = `
insert into event_logs (event_id, user_id, event_day, name, client_timestamp, occurred_at, properties, assignments)
select t.event_id, t.user_id, (t.client_timestamp at time zone 'UTC')::date, t.name, t.client_timestamp, t.occurred_at,
       coalesce(t.properties, '{}'::jsonb), '{}'::jsonb
  from jsonb_to_recordset($1::jsonb)
    as t(event_id uuid, user_id text, name text, client_timestamp timestamptz, occurred_at timestamptz, properties jsonb)
on conflict (event_id, user_id, event_day) do nothing`;

function batch(i: number) {
  const user = `u${i % USERS}`;
  const now = Date.now();
  return Array.from({ length: 100 }, (_, k) => {
    const at = new Date(now - k * 1000).toISOString();
    return {
      event_id: randomUUID(),
      user_id: user,
      name: 'app_open',
      client_timestamp: at,
      occurred_at: at,
      properties: { k },
    };
  });
}

const { db, client, close } = await freshDatabase();
try {
  for (const key of ['paywall', 'onboarding'])
    await db.storage.experiments.create({
      key,
      status: 'running',
      variants: [
        { key: 'control', weight: 0.5 },
        { key: 'treat', weight: 0.5 },
      ],
    });
  await client.query(
    `insert into assignments (experiment_id, user_id, variant) select e.id, 'u' || g, 'control'
       from generate_series(0, $1 - 1) g cross join experiments e`,
    [USERS],
  );
  const ours: number[] = [];
  const plain: number[] = [];
  let n = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let start = performance.now();
    for (let i = 0; i < BATCHES; i++) await db.storage.events.insertBatch(batch(n++));
    ours.push(performance.now() - start);
    start = performance.now();
    for (let i = 0; i < BATCHES; i++) await client.query(PLAIN, [JSON.stringify(batch(n++))]);
    plain.push(performance.now() - start);
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;
  printTable(
    `Event batch insert, ${BATCHES} batches of 100 events per round (median of ${ROUNDS} interleaved rounds)`,
    [
      {
        name: 'POST /v1/events statement',
        ours: median(ours),
        limit: median(plain),
        limitLabel: 'one hand-written INSERT … SELECT without the assignments',
        target: 1.15,
      },
    ],
  );
} finally {
  await close();
}
