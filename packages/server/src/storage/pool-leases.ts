/**
 * Connections of the ORM's pool held across back-to-back hot statements, so a statement does not pay the pool's
 * acquire and release each time. knex's pool (tarn) spends more than a dozen promises and two timers on every
 * acquire-release pair, which the hot paths' one statement per request paid for in full.
 *
 * It stays the ORM's one pool, so the process's connection count stays `poolMax`:
 * - a lease is a connection taken from that pool through knex, so the pool counts it as used;
 * - a lease runs one statement at a time; a statement takes an idle lease, else a new one when the pool has a
 *   connection to give without waiting, else waits for the next lease to finish (first come, first served);
 * - anyone else waiting for the pool (a MikroORM transaction, an admin read) wins: while someone waits, statements go
 *   through the pool's own queue again, and a lease is handed back as soon as its statements are done;
 * - a lease no statement used for one sweep interval goes back to the pool, so an idle server holds none.
 */

/** A pooled connection as the hot paths use it; knex marks one that broke with `__knex__disposed`. */
interface LeasedConnection {
  __knex__disposed?: unknown;
}

/** What is used of knex's client: its pool hand-over and the tarn pool's counters. */
export interface KnexPoolClient<C> {
  acquireConnection(): Promise<C>;
  releaseConnection(connection: C): Promise<void>;
  pool?: {
    max: number;
    numFree(): number;
    numUsed(): number;
    numPendingAcquires(): number;
    numPendingCreates(): number;
  };
}

interface Lease<C> {
  connection: C;
  /** A statement runs on it. */
  busy: boolean;
  /** Used since the last sweep. */
  used: boolean;
}

/** A statement waiting for a held lease; `undefined`: take a connection from the pool instead. */
type Waiter<C> = (lease: Lease<C> | undefined) => void;

/** How long an unused lease may stay held before it goes back to the pool (ms); a lease is held at most twice it. */
const SWEEP_MS = 5;

/** Runs statements on leased connections of a knex pool; see the file's comment for the rules. */
export class PoolLeases<C extends object> {
  readonly #client: KnexPoolClient<C>;
  #leases: Lease<C>[] = [];
  /** Statements waiting for a busy lease, first come first served. */
  #waiters: Waiter<C>[] = [];
  /** Acquires of ours in the pool's queue: `numPendingAcquires()` beyond them are someone else's. */
  #acquiring = 0;
  #sweep: NodeJS.Timeout | undefined;

  constructor(client: KnexPoolClient<C>) {
    this.#client = client;
  }

  /** Runs `statement` on a leased connection, one statement per connection at a time, and resolves its result. */
  async run<T>(statement: (connection: C) => Promise<T>): Promise<T> {
    const lease = this.#idle() ?? (this.#mayWait() ? await this.#wait() : undefined) ?? (await this.#acquire());
    lease.busy = true;
    lease.used = true;
    try {
      return await statement(lease.connection);
    } finally {
      this.#done(lease);
    }
  }

  #othersWait(): boolean {
    const pool = this.#client.pool;
    return pool !== undefined && pool.numPendingAcquires() > this.#acquiring;
  }

  #idle(): Lease<C> | undefined {
    if (this.#othersWait()) return undefined;
    for (const lease of this.#leases) if (!lease.busy && !isBroken(lease.connection)) return lease;
    return undefined;
  }

  /** Whether to wait for a held lease rather than take another connection: the pool has none to give at once. */
  #mayWait(): boolean {
    const pool = this.#client.pool;
    if (!pool || this.#leases.length === 0 || this.#othersWait()) return false;
    return pool.numFree() === 0 && pool.numUsed() + pool.numPendingCreates() >= pool.max;
  }

  #wait(): Promise<Lease<C> | undefined> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async #acquire(): Promise<Lease<C>> {
    this.#acquiring++;
    let connection: C;
    try {
      connection = await this.#client.acquireConnection();
    } finally {
      this.#acquiring--;
    }
    const lease: Lease<C> = { connection, busy: false, used: true };
    this.#leases.push(lease);
    if (this.#sweep === undefined) this.#sweep = setTimeout(() => this.#sweepIdle(), SWEEP_MS);
    return lease;
  }

  /** A statement ended: the lease goes to the next waiter, back to the pool when someone else waits, or idles. */
  #done(lease: Lease<C>): void {
    lease.busy = false;
    const next = this.#waiters.shift();
    if (isBroken(lease.connection) || this.#othersWait()) {
      this.#release(lease);
      // Into the pool's queue, behind whoever waits there.
      next?.(undefined);
    } else if (next) {
      // Marked busy before the waiter's continuation runs, so no other statement picks it meanwhile.
      lease.busy = true;
      next(lease);
    }
  }

  #release(lease: Lease<C>): void {
    const i = this.#leases.indexOf(lease);
    if (i < 0) return;
    this.#leases.splice(i, 1);
    void this.#client.releaseConnection(lease.connection);
  }

  #sweepIdle(): void {
    this.#sweep = undefined;
    for (const lease of [...this.#leases]) {
      if (lease.busy) continue;
      if (lease.used && !isBroken(lease.connection)) lease.used = false;
      else this.#release(lease);
    }
    // Not unref'd: the pool's destroy waits for every used connection, so a held lease must still go back then.
    if (this.#leases.length > 0) this.#sweep = setTimeout(() => this.#sweepIdle(), SWEEP_MS);
  }
}

function isBroken(connection: object): boolean {
  return Boolean((connection as LeasedConnection).__knex__disposed);
}
