import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventEmitter } from 'node:events';
import { interruptExitCode, InterruptedError, onInterrupt } from './interrupt.js';

test('the first signal aborts with the signal and its exit code; the second exits at once', () => {
  const source = new EventEmitter();
  const exits: number[] = [];
  const lines: string[] = [];
  const interruption = onInterrupt({ source, exit: (code) => exits.push(code), log: (line) => lines.push(line) });
  source.emit('SIGTERM');
  assert.ok(interruption.signal.aborted);
  assert.instance(interruption.signal.reason, InterruptedError);
  assert.is(interruptExitCode(interruption.signal), 143);
  assert.equal(exits, []);
  source.emit('SIGINT');
  assert.equal(exits, [130]);
  assert.is(lines.length, 1);
  interruption.dispose();
  assert.is(source.listenerCount('SIGINT') + source.listenerCount('SIGTERM'), 0);
});

test('SIGINT exits 130; a reason that is not a signal also gets 130', () => {
  const source = new EventEmitter();
  const interruption = onInterrupt({ source, exit: () => undefined, log: () => undefined });
  source.emit('SIGINT');
  assert.is(interruptExitCode(interruption.signal), 130);
  assert.is((interruption.signal.reason as Error).message, 'interrupted by SIGINT');
  assert.is(interruptExitCode(AbortSignal.abort('x')), 130);
  interruption.dispose();
});

test.run();
