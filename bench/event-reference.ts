/**
 * The reference server of bench/event-insert.ts, in its own process: a bare Koa route that parses a
 * `POST /v1/events` body and inserts its events with one hand-written `unnest` statement doing the same dedupe
 * (ON CONFLICT DO NOTHING) and enrichment (each distinct user's current assignments) as ours, with no checks.
 * `single <databaseUrl>`: one statement per request on a raw `pg` pool of 10 (our storage's default pool).
 * `combined <databaseUrl>`: the events of every request that arrives in one event-loop turn go in one statement
 * (a per-tick batcher), each request answered with its own count.
 * `pglite`: an in-memory PGlite with our routers at `/v1/…` and the reference at `/raw/v1/events`, both in this one
 * process, for the PGlite ratio.
 * Prints the port on stdout.
 */
import Router from '@koa/router';
import Koa from 'koa';
import pg from 'pg';
import getRawBody from 'raw-body';
import { createAbRouter, createStorage, IN_MEMORY } from '@ab-calicritters/server';
import { testSql } from '@ab-calicritters/server/testing';
import { defineBenchExperiments } from './bench-helpers.js';

interface Body {
  events: Array<{ event_id: string; user_id: string; name: string; timestamp: string; properties?: object }>;
}

/**
 * The reference statement. `req` numbers the request each event came from: one request counts its inserted rows as
 * ours does; combined requests count theirs through a join back to the input (RETURNING sees only the new row).
 */
const referenceSql = (combined: boolean) => `
with input as materialized (
  select * from unnest(?::int[], ?::uuid[], ?::text[], ?::text[], ?::timestamptz[], ?::jsonb[])
    as t(req, event_id, user_id, name, client_timestamp, properties)
),
users as materialized (
  select u.user_id,
         coalesce((select jsonb_object_agg(e.key, a.variant)
                     from assignments a join experiments e on e.id = a.experiment_id
                    where a.user_id = u.user_id), '{}'::jsonb) as assignments
    from (select distinct user_id from input) u
),
inserted as (
  insert into event_logs (event_id, user_id, event_day, name, client_timestamp, occurred_at, properties, assignments)
  select i.event_id, i.user_id, (i.client_timestamp at time zone 'UTC')::date, i.name, i.client_timestamp,
         i.client_timestamp, i.properties, u.assignments
    from input i join users u on u.user_id = i.user_id
  on conflict (event_id, user_id, event_day) do nothing
  returning event_id
)
${
  combined
    ? 'select i.req, count(*)::int as n from inserted x join input i on i.event_id = x.event_id group by i.req'
    : 'select 0 as req, count(*)::int as n from inserted'
}`;

type Columns = [number[], string[], string[], string[], string[], string[]];

function columns(bodies: readonly Body[]): Columns {
  const events = bodies.flatMap((body, req) => body.events.map((e) => ({ req, e })));
  return [
    events.map((x) => x.req),
    events.map((x) => x.e.event_id),
    events.map((x) => x.e.user_id),
    events.map((x) => x.e.name),
    events.map((x) => x.e.timestamp),
    events.map((x) => JSON.stringify(x.e.properties ?? {})),
  ];
}

/** An array literal, quoted as the `pg` driver quotes array parameters. */
const arrayLiteral = (values: ReadonlyArray<string | number>) =>
  `{${values.map((v) => (typeof v === 'number' ? v : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;

type Insert = (bodies: readonly Body[]) => Promise<number[]>;

function pgInsert(databaseUrl: string, combined: boolean): Insert {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  let n = 0;
  const text = referenceSql(combined).replace(/\?/g, () => `$${++n}`);
  return async (bodies) => {
    const result = await pool.query<{ req: number; n: number }>({
      name: combined ? 'reference_events_combined' : 'reference_events',
      text,
      values: columns(bodies),
    });
    const counts = bodies.map(() => 0);
    for (const row of result.rows) counts[row.req] = row.n;
    return counts;
  };
}

/** Requests of one event-loop turn share one statement. */
function perTick(insert: Insert): Insert {
  let pending: Array<{ body: Body; resolve: (n: number) => void; reject: (e: unknown) => void }> = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    insert(batch.map((p) => p.body)).then(
      (counts) => batch.forEach((p, i) => p.resolve(counts[i] ?? 0)),
      (error) => batch.forEach((p) => p.reject(error)),
    );
  };
  return async ([body]) => {
    if (pending.length === 0) setImmediate(flush);
    return [await new Promise<number>((resolve, reject) => pending.push({ body: body!, resolve, reject }))];
  };
}

function referenceRoute(router: Router, path: string, insert: Insert) {
  router.post(path, async (ctx) => {
    const body = JSON.parse(await getRawBody(ctx.req, { limit: 1024 * 1024, encoding: 'utf8' })) as Body;
    const [accepted = 0] = await insert([body]);
    ctx.body = { accepted, duplicates: body.events.length - accepted, rejected: [] };
  });
}

const [mode, databaseUrl] = process.argv.slice(2);
const app = new Koa();
app.silent = true;
app.on('error', (error: Error) => process.stderr.write(`reference: ${error.message}\n`));
const router = new Router();
if (mode === 'pglite') {
  const storage = await createStorage({ dataDir: IN_MEMORY, migrate: true });
  await defineBenchExperiments(storage, { funnel: false });
  await testSql(
    storage,
    `insert into assignments (experiment_id, user_id, variant)
     select e.id, 'u-' || g, (e.variants -> (g % jsonb_array_length(e.variants)) ->> 'key')
       from experiments e, generate_series(0, ? - 1) g`,
    [Number(process.env.BENCH_USERS ?? 2000)],
  );
  app.use(createAbRouter({ storage, experimentCacheTtlMs: 1000 }).routes());
  referenceRoute(router, '/raw/v1/events', async (bodies) => {
    const rows = await testSql<{ req: number; n: number }>(
      storage,
      referenceSql(false),
      columns(bodies).map(arrayLiteral),
    );
    return bodies.map((_, i) => rows.find((r) => r.req === i)?.n ?? 0);
  });
} else {
  const combined = mode === 'combined';
  const insert = pgInsert(databaseUrl as string, combined);
  referenceRoute(router, '/v1/events', combined ? perTick(insert) : insert);
}
app.use(router.routes());
process.once('SIGINT', () => process.exit(0));
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(typeof address === 'object' && address ? address.port : 0);
});
