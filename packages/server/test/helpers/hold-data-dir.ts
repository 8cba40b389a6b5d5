/** Run as a child process: takes the lock of a data dir (at a given moment, to line up several) and holds it. */
import { acquireDataDirLock } from '../../src/storage/data-dir-lock.js';

const [dataDir = '', goAt = '0'] = process.argv.slice(2);
const wait = Number(goAt) - Date.now();
if (wait > 5) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait - 5);
while (Date.now() < Number(goAt)) {
  // spin the last few milliseconds, so the children really start together
}
try {
  acquireDataDirLock(dataDir);
  console.log('held');
} catch (error) {
  console.log(`refused ${(error as { code?: string }).code}`);
  process.exit(0);
}
setInterval(() => undefined, 1 << 30);
