/**
 * CPU time of processes from /proc (Linux), and which PostgreSQL backends serve a database: the figure that moves
 * least when other work shares the machine, because it counts what a process ran, not how long it waited for a core.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (user + system) of each of the given processes, ms; Linux clock ticks are 10 ms. */
export function cpuMs(pids: readonly number[]): Map<number, number> {
  const times = new Map<number, number>();
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      times.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // the process ended
    }
  }
  return times;
}

/** CPU the processes used between two readings; a process that started in between counts from 0. */
export function cpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, t] of after) ms += t - (before.get(pid) ?? 0);
  return ms;
}

/** Every PostgreSQL process on the machine (the server's backends included). */
export const postgresPids = (): number[] =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    });

/** What {@link backendPids} needs of a connection: node-postgres' `Client` or `Pool`. */
interface Queryable {
  query<R>(text: string, values: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * The PostgreSQL backends of one database (and one `application_name`, when given): the server processes serving one
 * pool, so their CPU can be counted apart from other sessions on the machine.
 */
export async function backendPids(client: Queryable, database: string, applicationName?: string): Promise<number[]> {
  const { rows } = await client.query<{ pid: number }>(
    `select pid from pg_stat_activity
      where datname = $1 and backend_type = 'client backend' and pid <> pg_backend_pid()
        and ($2::text is null or application_name = $2)`,
    [database, applicationName ?? null],
  );
  return rows.map((r) => r.pid);
}
