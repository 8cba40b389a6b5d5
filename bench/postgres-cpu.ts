/**
 * CPU time of the whole PostgreSQL server from /proc (Linux), parallel workers included: a worker that exited is no
 * longer in /proc, but the postmaster has reaped it, so its time is in the postmaster's children's time.
 */
import { readFileSync } from 'node:fs';
import { postgresPids } from './proc-cpu.js';

/**
 * A running total of PostgreSQL's CPU ms (user + system of every live postgres process, plus what the postmaster's
 * reaped children used); the difference of two readings is what the server used in between, other sessions included.
 */
export function postgresCpuMs(): number {
  const pids = postgresPids();
  const live = new Set(pids);
  let ticks = 0;
  for (const pid of pids) {
    try {
      // After "pid (comm) ": state, ppid, …; utime and stime are fields 14 and 15, cutime and cstime 16 and 17.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
      if (!live.has(Number(fields[1]))) ticks += Number(fields[13]) + Number(fields[14]);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return ticks * 10;
}
