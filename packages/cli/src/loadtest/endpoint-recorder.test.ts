import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createEndpointRecorder } from './endpoint-recorder.js';

test('metrics per endpoint: error rate counts 5xx, timeouts and transport errors; percentiles are ordered', () => {
  const recorder = createEndpointRecorder(['POST /a', 'POST /b']);
  for (let i = 1; i <= 1000; i++) recorder.response('POST /a', 200, i / 10);
  recorder.response('POST /a', 503, 5);
  recorder.response('POST /a', 400, 5);
  recorder.timeout('POST /a');
  recorder.transportError('POST /a');
  const [a, b] = recorder.snapshot(2000);
  recorder.destroy();
  assert.is(a?.metrics.requests, 1004);
  assert.is(a?.metrics.rps, 502);
  assert.is(a?.metrics.status_4xx, 1);
  assert.is(a?.metrics.error_rate, Number((3 / 1004).toFixed(6)));
  const m = a?.metrics;
  assert.ok(
    m &&
      Math.abs(m.latency_p50_ms - 50) < 0.5 &&
      Math.abs(m.latency_p95_ms - 95) < 0.5 &&
      Math.abs(m.latency_p99_ms - 99) < 0.5,
    JSON.stringify(m),
  );
  assert.ok(m && m.latency_p99_ms <= m.latency_max_ms);
  assert.ok((a?.percentiles_ms['p99.9'] ?? 0) >= (a?.percentiles_ms.p99 ?? Infinity));
  assert.equal(
    { requests: b?.metrics.requests, error_rate: b?.metrics.error_rate, p99: b?.metrics.latency_p99_ms },
    { requests: 0, error_rate: 0, p99: 0 },
    'an endpoint without traffic reports zeros',
  );
});

test.run();
