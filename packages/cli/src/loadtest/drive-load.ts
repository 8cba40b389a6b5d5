/**
 * Drives a scenario with autocannon. Each connection gets its own session of steps (`setupClient` → `setRequests`),
 * every request is built by `setupRequest` when it is sent, and each answer is credited to the endpoint of the step
 * that built it: autocannon calls the request's `onResponse` synchronously just before the client's `response`
 * event, which carries the latency. With one request in flight per connection (no pipelining), a timeout or a
 * transport error belongs to the oldest request that connection has not had an answer to.
 */
import autocannon from 'autocannon';
import type { EndpointRecorder } from './endpoint-recorder.js';
import type { Scenario } from './scenarios/index.js';

export interface DriveOptions {
  /** Base URL: origin plus an optional path prefix where the routers are mounted. */
  target: URL;
  scenario: Scenario;
  recorder: EndpointRecorder;
  connections: number;
  durationMs: number;
  /** Requests per second over all connections (absent: as fast as the server answers). */
  rate?: number;
  /** Seconds before a request counts as timed out. */
  timeoutSeconds: number;
  /** Called about twice a second with the elapsed time. */
  onTick?: (elapsedMs: number) => void;
  /** Stops the run early. */
  signal?: AbortSignal;
}

export interface DriveResult {
  startedAt: Date;
  endedAt: Date;
  durationMs: number;
  interrupted: boolean;
  /** autocannon's own totals, kept in artifacts as a cross-check of ours. */
  autocannon: { requests: number; responses: number; errors: number; timeouts: number; non2xx: number };
}

/**
 * Runs the load for `durationMs` (or until `signal` aborts) and resolves with the measured window.
 * @example const result = await driveLoad({ target: new URL('http://127.0.0.1:3000'), scenario, recorder, connections: 10, durationMs: 5000, timeoutSeconds: 10 });
 */
export async function driveLoad(options: DriveOptions): Promise<DriveResult> {
  const { scenario, recorder, target } = options;
  const basePath = target.pathname.replace(/\/+$/, '');
  const headers = { 'content-type': 'application/json', accept: 'application/json' };

  function setupClient(client: autocannon.Client): void {
    const steps = scenario.createSession();
    const inFlight: string[] = [];
    let answered: string | undefined;
    const requests: autocannon.Request[] = steps.map((step) => ({
      method: 'POST',
      path: basePath || '/',
      setupRequest(request) {
        const built = step.request();
        inFlight.push(step.endpoint);
        return { ...request, method: built.method, path: basePath + built.path, headers, body: built.body ?? '' };
      },
      onResponse(status, body) {
        answered = step.endpoint;
        inFlight.shift();
        step.onResponse(status, body);
      },
    }));
    client.setRequests(requests);
    client.on('response', (status: number, _bytes: number, latencyMs: number) => {
      recorder.response(answered ?? steps[0]?.endpoint ?? 'unknown', status, latencyMs);
      answered = undefined;
    });
    // autocannon 9's client emits these; @types/autocannon (written for 7) does not list them.
    const events: NodeJS.EventEmitter = client;
    events.on('timeout', () => recorder.timeout(inFlight.shift() ?? steps[0]?.endpoint ?? 'unknown'));
    events.on('connError', () => recorder.transportError(inFlight.shift() ?? steps[0]?.endpoint ?? 'unknown'));
  }

  const startedAt = new Date();
  // Without a callback autocannon returns its tracker, which is both the instance (stop()) and a promise of the result.
  const instance = autocannon({
    url: target.origin,
    connections: options.connections,
    duration: options.durationMs / 1000,
    ...(options.rate ? { overallRate: options.rate } : {}),
    timeout: options.timeoutSeconds,
    pipelining: 1,
    // Replaced per connection in setupClient; a plain request so nothing is built before a session exists.
    requests: [{ method: 'GET', path: `${basePath}/health` }],
    setupClient,
  }) as Promise<autocannon.Result> & Pick<autocannon.Instance, 'stop'>;
  let interrupted = false;
  const stop = () => {
    interrupted = true;
    instance.stop();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  const ticker = options.onTick
    ? setInterval(() => options.onTick?.(Date.now() - startedAt.getTime()), 500)
    : undefined;
  try {
    const result = await instance;
    const endedAt = new Date();
    return {
      startedAt,
      endedAt,
      durationMs: endedAt.getTime() - startedAt.getTime(),
      interrupted,
      autocannon: {
        requests: result.requests.sent,
        responses: result.requests.total,
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
      },
    };
  } finally {
    if (ticker) clearInterval(ticker);
    options.signal?.removeEventListener('abort', stop);
  }
}
