/**
 * The delivery loop: sends the queue's oldest events in batches until it is empty, one flush at a time, and on a
 * transient failure schedules the next attempt with backoff. An event leaves the queue only once the server has
 * answered for it (stored, duplicate, or refused as invalid).
 */
import { LIMITS } from '@ab-calicritters/core';
import { backoffDelay } from './backoff.js';
import { ClientError } from './client-error.js';
import type { EventQueue } from './event-queue.js';
import type { ResolvedOptions } from './options.js';
import { wireEvents, type SendOutcome } from './send-batch.js';
import type { QueuedEvent } from './event.js';

/** Room left in a request body for the envelope around the events. */
const BATCH_BYTES = LIMITS.maxBodyBytes - 1024;
/** A `Retry-After` longer than this is capped: a misconfigured proxy must not stall delivery for days. */
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/** Emitted after each batch the server acknowledged. */
export interface FlushResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Events still queued after this batch. */
  remaining: number;
}

/** Running totals since the client was created. */
export interface DeliveryStats {
  accepted: number;
  duplicates: number;
  /** Events the server refused (per-event rejections, a 400 batch, an event too large on its own). */
  rejected: number;
}

export interface DeliveryOptions extends Pick<
  ResolvedOptions,
  'clock' | 'random' | 'retryBaseMs' | 'retryMaxMs' | 'maxBatchSize'
> {
  queue: EventQueue;
  send(batch: readonly QueuedEvent[]): Promise<SendOutcome>;
  report(error: ClientError): void;
  flushed(result: FlushResult): void;
}

/** Serialised flushing with retry scheduling. */
export class Delivery {
  readonly stats: DeliveryStats = { accepted: 0, duplicates: 0, rejected: 0 };
  readonly #o: DeliveryOptions;
  #flushing: Promise<void> | undefined;
  #attempt = 0;
  #retryTimer: unknown;
  #notBefore = 0;
  #closed = false;

  constructor(options: DeliveryOptions) {
    this.#o = options;
  }

  /**
   * Send everything queued. Concurrent calls share the flush in flight. An automatic trigger (`force` false) waits
   * for a scheduled retry instead; nothing is sent before a server's `Retry-After` has passed.
   */
  flush(force: boolean): Promise<void> {
    if (this.#flushing) return this.#flushing;
    const waiting = this.#o.clock.now() < this.#notBefore || (!force && this.#retryTimer !== undefined);
    if (waiting) return Promise.resolve();
    return (this.#flushing = this.#drain().finally(() => (this.#flushing = undefined)));
  }

  /** Stop scheduling retries (shutdown); an explicit flush still works. */
  close(): void {
    this.#closed = true;
    this.#cancelRetry();
  }

  async #drain(): Promise<void> {
    const { queue } = this.#o;
    this.#cancelRetry();
    let limit = this.#o.maxBatchSize;
    while (queue.length > 0) {
      const batch = queue.peek(limit, BATCH_BYTES);
      const outcome = await this.#o.send(batch);
      if (outcome.type === 'retry') {
        this.#scheduleRetry(outcome.retryAfterMs);
        this.#o.report(outcome.error);
        break;
      }
      if (outcome.type === 'split' && batch.length > 1) {
        // Halve until the server takes it; the smaller size holds for the rest of this flush.
        limit = Math.floor(batch.length / 2);
        continue;
      }
      this.#attempt = 0;
      queue.removeBatch(batch);
      void queue.persist();
      if (outcome.type === 'ack') this.#acknowledged(batch, outcome.response);
      else {
        this.stats.rejected += batch.length;
        this.#o.report(
          outcome.type === 'drop'
            ? outcome.error
            : new ClientError('too_large', `HTTP ${outcome.status}`, {
                status: outcome.status,
                events: wireEvents(batch),
              }),
        );
      }
    }
    await queue.persist();
  }

  #acknowledged(
    batch: readonly QueuedEvent[],
    response: { accepted: number; duplicates: number; rejected: { index: number; errors: string[] }[] },
  ): void {
    const rejected = response.rejected.filter((r) => batch[r.index] !== undefined);
    this.stats.accepted += response.accepted;
    this.stats.duplicates += response.duplicates;
    this.stats.rejected += rejected.length;
    if (rejected.length > 0) {
      const events = wireEvents(rejected.map((r) => batch[r.index]!));
      const reasons = rejected.map((r) => (Array.isArray(r.errors) ? r.errors : []));
      this.#o.report(new ClientError('rejected', reasons.join('; '), { status: 200, events, reasons }));
    }
    this.#o.flushed({
      accepted: response.accepted,
      duplicates: response.duplicates,
      rejected: rejected.length,
      remaining: this.#o.queue.length,
    });
  }

  #scheduleRetry(retryAfterMs: number | undefined): void {
    const { clock } = this.#o;
    this.#attempt++;
    let delay = backoffDelay(this.#attempt, this.#o.retryBaseMs, this.#o.retryMaxMs, this.#o.random);
    if (retryAfterMs !== undefined) {
      const wait = Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
      this.#notBefore = clock.now() + wait;
      delay = Math.max(delay, wait);
    }
    if (this.#closed) return;
    this.#retryTimer = clock.setTimeout(() => {
      this.#retryTimer = undefined;
      void this.flush(true);
    }, delay);
  }

  #cancelRetry(): void {
    if (this.#retryTimer === undefined) return;
    this.#o.clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }
}
