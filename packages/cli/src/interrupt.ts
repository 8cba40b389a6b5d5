/**
 * SIGINT/SIGTERM for a command that must clean up (a rollup rolling back its transaction): the first signal aborts
 * an AbortSignal and the command finishes with one line and exit code 128 + signal number; a second signal exits at
 * once.
 */

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

const SIGNALS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM'];

/** The abort reason: which signal came, and the exit code shells expect for it (130 for SIGINT, 143 for SIGTERM). */
export class InterruptedError extends Error {
  readonly code = 'interrupted';
  override name = 'InterruptedError';
  readonly exitCode: number;
  constructor(readonly signalName: InterruptSignal) {
    super(`interrupted by ${signalName}`);
    this.exitCode = signalName === 'SIGINT' ? 130 : 143;
  }
}

/** The exit code for a command stopped through `signal`: 128 + signal number, 130 when the reason is not ours. */
export function interruptExitCode(signal: AbortSignal | undefined): number {
  return signal?.reason instanceof InterruptedError ? signal.reason.exitCode : 130;
}

export interface Interruption {
  /** Aborted by the first SIGINT or SIGTERM, with an {@link InterruptedError} reason. */
  signal: AbortSignal;
  /** Stops listening: the default signal behaviour is back. */
  dispose(): void;
}

export interface InterruptOptions {
  /** Where signals come from (default `process`; tests pass an EventEmitter). */
  source?: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
  /** How to leave at once on a second signal (default `process.exit`). */
  exit?: (code: number) => void;
  /** Where the second signal's line goes (default stderr). */
  log?: (line: string) => void;
}

/**
 * Listens for SIGINT and SIGTERM until disposed.
 * @example const interruption = onInterrupt(); try { await run({ signal: interruption.signal }) } finally { interruption.dispose() }
 */
export function onInterrupt(options: InterruptOptions = {}): Interruption {
  const source = options.source ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.log ?? ((line: string) => console.error(line));
  const controller = new AbortController();
  const listeners = SIGNALS.map((name) => {
    const listener = () => {
      if (!controller.signal.aborted) {
        controller.abort(new InterruptedError(name));
        return;
      }
      // PostgreSQL rolls back a transaction whose connection closes, so leaving now loses nothing committed.
      log(`error: ${name} again: exiting without waiting for the rollback`);
      exit(new InterruptedError(name).exitCode);
    };
    source.on(name, listener);
    return [name, listener] as const;
  });
  return {
    signal: controller.signal,
    dispose() {
      for (const [name, listener] of listeners) source.off(name, listener);
    },
  };
}
