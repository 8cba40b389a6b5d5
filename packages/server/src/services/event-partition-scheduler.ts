/**
 * Keeps the event log's day partitions ahead of time inside a server: one maintenance run at start, then one a day
 * (and again 15 minutes after a run that failed, e.g. on a lock a long read held). Across N servers sharing a database
 * one of them does each run; the others find the advisory lock taken and skip it.
 */
import type { Logger } from '../http/error-middleware.js';
import type { SchedulerTimers } from '../rollups/rollup-scheduler.js';
import {
  checkEventPartitionOptions,
  type EventPartitionOptions,
  type EventPartitionResult,
} from '../storage/event-partitions.js';
import type { Storage } from '../storage/storage-types.js';

const DAY_MS = 86_400_000;
const RETRY_MS = 15 * 60_000;

export interface EventPartitionSchedulerOptions extends Omit<EventPartitionOptions, 'now'> {
  /** Pause between runs, ms (default one day). */
  intervalMs?: number;
  /** Where runs that changed something and failed runs are reported. Default: `console`. */
  logger?: Logger;
  /** Default: the global setTimeout/clearTimeout, unref'd. */
  timers?: SchedulerTimers;
  /** Reference time of each run. Default: now. */
  now?: () => Date;
}

export interface EventPartitionScheduler {
  /** Runs once now, then every `intervalMs` (no-op when started or stopped). */
  start(): void;
  /** Cancels the next run and waits for a running one. */
  stop(): Promise<void>;
  /** Runs once now (after the running one, if any); resolves what it did, or undefined when it failed. */
  run(): Promise<EventPartitionResult | undefined>;
}

const realTimers: SchedulerTimers = {
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * A scheduler of `storage`'s partition maintenance. Nothing runs until `start()` or `run()`.
 * @example const partitions = createEventPartitionScheduler(storage, { retentionDays: 400 }); partitions.start();
 */
export function createEventPartitionScheduler(
  storage: Storage,
  options: EventPartitionSchedulerOptions = {},
): EventPartitionScheduler {
  checkEventPartitionOptions({ daysAhead: options.daysAhead, retentionDays: options.retentionDays });
  const intervalMs = options.intervalMs ?? DAY_MS;
  if (!Number.isInteger(intervalMs) || intervalMs < 1 || intervalMs > 2_147_483_647)
    throw new Error(`eventPartitions.intervalMs must be an integer number of milliseconds ≥ 1 (got ${intervalMs})`);
  const logger = options.logger ?? console;
  const timers = options.timers ?? realTimers;
  const now = options.now ?? (() => new Date());
  let timer: unknown;
  let started = false;
  let stopped = false;
  let last: Promise<EventPartitionResult | undefined> = Promise.resolve(undefined);

  const runOnce = async (): Promise<EventPartitionResult | undefined> => {
    try {
      const result = await storage.eventPartitions.maintain({
        daysAhead: options.daysAhead,
        retentionDays: options.retentionDays,
        now: now(),
      });
      if (result.created.length + result.dropped.length + result.deleted_rows > 0)
        logger.info?.(result, 'event log partitions maintained');
      return result;
    } catch (error) {
      logger.error({ err: error }, 'event log partition maintenance failed');
      return undefined;
    }
  };

  const run = () => {
    // One at a time in this process; the advisory lock covers the other processes.
    last = last.then(runOnce);
    return last;
  };

  const tick = () => {
    timer = undefined;
    void run().then((result) => {
      if (stopped) return;
      timer = timers.setTimeout(tick, result ? intervalMs : Math.min(RETRY_MS, intervalMs));
    });
  };

  return {
    start() {
      if (started || stopped) return;
      started = true;
      tick();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      await last;
    },
    run,
  };
}
