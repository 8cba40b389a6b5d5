/** Live progress on a terminal: elapsed time, requests, current rate and errors, redrawn twice a second. */
import cliProgress from 'cli-progress';
import type { EndpointRecorder } from './endpoint-recorder.js';

export interface Progress {
  tick(elapsedMs: number): void;
  stop(): void;
}

/** Starts a progress bar on `stream` (a terminal); `tick` redraws, `stop` leaves the last line. */
export function createProgress(
  durationMs: number,
  recorder: EndpointRecorder,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  const bar = new cliProgress.SingleBar(
    {
      format: '{bar} {elapsed_s}/{total_s} s | {requests} requests | {rps} req/s | {errors} errors',
      stream,
      hideCursor: true,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  const totalS = Math.round(durationMs / 1000);
  let last = { at: 0, requests: 0 };
  bar.start(totalS, 0, { elapsed_s: 0, total_s: totalS, requests: 0, rps: 0, errors: 0 });
  return {
    tick(elapsedMs) {
      const { requests, errors } = recorder.totals();
      const windowS = (elapsedMs - last.at) / 1000;
      const rps = windowS > 0 ? Math.round((requests - last.requests) / windowS) : 0;
      last = { at: elapsedMs, requests };
      const elapsedS = Math.min(totalS, Math.floor(elapsedMs / 1000));
      bar.update(elapsedS, { elapsed_s: elapsedS, total_s: totalS, requests, rps, errors });
    },
    stop() {
      bar.stop();
    },
  };
}
