/** A progress bar on a terminal (cli-progress), nothing when output is piped or machine-readable. */
import cliProgress from 'cli-progress';

export interface Progress {
  step(label: string, index: number, total: number): void;
  stop(): void;
}

export function createProgress(enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return { step() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: ' {bar} {value}/{total} {label}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    step(label, index, total) {
      if (!started) bar.start(total, index, { label });
      else bar.update(index, { label });
      started = true;
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
