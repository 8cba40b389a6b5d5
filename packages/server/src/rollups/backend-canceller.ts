/**
 * Cancels the statement a transaction's backend is running, from another pooled connection (pg_cancel_backend),
 * and repeats until stopped: PostgreSQL drops a cancel that reaches a backend between statements. Each cancel only
 * hits the backend while it is still inside the same transaction (matched by its start time), so a pooled connection
 * that went back to the pool and serves someone else is never cancelled.
 */
import type { Storage } from '../storage/storage-types.js';
import { CANCEL_BACKEND } from './rollup-sql.js';

const RETRY_MS = 200;

export interface BackendCanceller {
  /** The backend and transaction to cancel: `pg_backend_pid()` and `now()::text` from inside the transaction. */
  target(pid: number, xactStart: string): void;
  /** Starts cancelling (idempotent). */
  start(): void;
  /** Stops and waits for a cancel in flight, so none lands after the transaction ended. */
  stop(): Promise<void>;
}

export function createBackendCanceller(storage: Storage): BackendCanceller {
  let target: { pid: number; xactStart: string } | undefined;
  let loop: Promise<void> | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;

  async function cancelUntilStopped(): Promise<void> {
    while (!stopped) {
      if (target) {
        await storage.rollups.execute(CANCEL_BACKEND, [target.pid, target.xactStart]).catch(() => undefined); // best effort: the run's own error is what gets reported
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, RETRY_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  return {
    target(pid, xactStart) {
      target = { pid, xactStart };
    },
    start() {
      loop ??= cancelUntilStopped();
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
