/**
 * Asks again on a timer while its element is connected and the page is visible: `poll()` every `delayMs()`, and a
 * re-render every half minute in between so relative times ("3 min ago") keep up. A hidden page asks nothing; when
 * it shows again an overdue poll runs at once. Disconnecting stops both timers and aborts a poll in flight.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How often relative times are re-rendered between polls. */
const TICK_MS = 30_000;

export interface RollupPollerOptions {
  /** Milliseconds between polls, asked after each one (the interval may change with what a poll learnt). */
  delayMs(): number;
  /** One poll. A failed one is tried again after the next delay. */
  poll(signal: AbortSignal): Promise<void>;
}

export class RollupPoller implements ReactiveController {
  readonly #host: ReactiveControllerHost & Element;
  readonly #options: RollupPollerOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #controller: AbortController | undefined;
  /** When the data was last read (a poll or the host's own load). */
  #lastPollMs = 0;
  #onVisibility = () => this.#schedule();

  constructor(host: ReactiveControllerHost & Element, options: RollupPollerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Counts as a poll: the host just read the status with its data, so the next poll waits a whole delay. */
  polled(): void {
    this.#lastPollMs = Date.now();
    this.#schedule();
  }

  hostConnected(): void {
    // The host reads the status with its first load; the first poll comes a delay after that.
    if (this.#lastPollMs === 0) this.#lastPollMs = Date.now();
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.#schedule();
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#stop();
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#controller?.abort();
    this.#controller = undefined;
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (document.visibilityState === 'hidden' || !this.#host.isConnected) return;
    const due = this.#lastPollMs + this.#options.delayMs() - Date.now();
    if (due <= 0) {
      void this.#poll();
      return;
    }
    this.#timer = setTimeout(
      () => {
        this.#host.requestUpdate();
        this.#schedule();
      },
      Math.min(due, TICK_MS),
    );
  }

  async #poll(): Promise<void> {
    if (this.#controller) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.#lastPollMs = Date.now();
    try {
      await this.#options.poll(controller.signal);
    } catch {
      // The next poll tries again; what failed is the caller's to show.
    } finally {
      if (this.#controller === controller) {
        this.#controller = undefined;
        this.#schedule();
      }
    }
  }
}
