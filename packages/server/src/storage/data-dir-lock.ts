/**
 * One process at a time on an embedded (PGlite) data directory. PGlite is single-writer: a second process on the
 * same files loses its writes and can corrupt them. The lock is a file beside the directory, `<dataDir>.lock`
 * (the directory itself belongs to PGlite), holding the owner's pid, command line and start time.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Who holds a data directory, as written in its lock file. */
export interface DataDirLockHolder {
  pid: number;
  command: string;
  /** When the holding process started (ISO 8601). */
  started_at: string;
}

/** Thrown when an embedded data directory is already open, in another process or in this one. */
export class DataDirLockedError extends Error {
  readonly code = 'data_dir_locked';
  override name = 'DataDirLockedError';

  constructor(
    readonly dataDir: string,
    readonly lockFile: string,
    readonly holder: DataDirLockHolder,
    options?: ErrorOptions,
  ) {
    super(lockedMessage(dataDir, lockFile, holder), options);
  }
}

function lockedMessage(dataDir: string, lockFile: string, holder: DataDirLockHolder): string {
  if (holder.pid === process.pid) {
    return `The embedded database in ${dataDir} is already open in this process (pid ${holder.pid}); close that storage first.`;
  }
  return (
    `The embedded database in ${dataDir} is in use by pid ${holder.pid} (${holder.command}, started ${holder.started_at}). ` +
    'It allows one process at a time: a second one would lose its writes and can corrupt it. ' +
    'Stop that process first, or send admin commands through the running server ' +
    '(calicritters experiments … --url http://localhost:3000, or CALICRITTERS_URL, with its ADMIN_TOKEN), ' +
    `or use PostgreSQL (DATABASE_URL) for several processes. If pid ${holder.pid} is not using it, delete ${lockFile}.`
  );
}

/** A held lock; `release()` is idempotent and also runs when the process exits. */
export interface DataDirLock {
  readonly file: string;
  release(): void;
}

// Shared through the global registry, so two copies of this module in one process (sources and build) agree.
const registryKey = Symbol.for('ab-calicritters.data-dir-locks');
const held: Set<string> = ((globalThis as Record<symbol, Set<string>>)[registryKey] ??= new Set());

/** The directory's canonical path: two spellings of one directory must meet at one lock file. */
function canonical(dataDir: string): string {
  const absolute = resolve(dataDir);
  try {
    return realpathSync(absolute);
  } catch {
    try {
      return join(realpathSync(dirname(absolute)), basename(absolute));
    } catch {
      return absolute;
    }
  }
}

/** `<dataDir>.lock` for a data directory. */
export function dataDirLockFile(dataDir: string): string {
  return `${canonical(dataDir)}.lock`;
}

const SECRET_FLAG = /token|password|secret/i;

/** The command line, without values of secret-looking flags; it ends up in other users' error messages. */
function commandLine(): string {
  const args = process.argv.map((arg, i, all) => {
    if (/^--?[^=]+=/.test(arg) && SECRET_FLAG.test(arg.split('=')[0] ?? '')) return `${arg.split('=')[0]}=***`;
    const previous = all[i - 1] ?? '';
    return /^--?[^=]+$/.test(previous) && SECRET_FLAG.test(previous) ? '***' : arg;
  });
  const line = args.join(' ');
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** True when the pid is a running process; EPERM means it runs as another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(raw: string): DataDirLockHolder | undefined {
  try {
    const value = JSON.parse(raw) as Partial<DataDirLockHolder>;
    // pid 0 or below would address process groups in kill(); such a file is no lock of ours.
    if (!Number.isInteger(value.pid) || (value.pid as number) <= 0) return undefined;
    return {
      pid: value.pid as number,
      command: String(value.command ?? '?'),
      started_at: String(value.started_at ?? '?'),
    };
  } catch {
    return undefined;
  }
}

function readRaw(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Moves away exactly the stale file that was read. Renaming is atomic, so of several processes taking over at
 * once only one moves it; one that finds a fresh lock in its hands (another process took over first) puts it back.
 */
function removeStale(file: string, staleRaw: string): void {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (readFileSync(aside, 'utf8') === staleRaw) unlinkSync(aside);
  else renameSync(aside, file);
}

/**
 * Takes the lock of an embedded data directory, or throws {@link DataDirLockedError} naming the holder. A lock
 * whose process is gone is taken over. Writes nothing into the directory itself.
 * @example const lock = acquireDataDirLock('./.data/pglite'); try { … } finally { lock.release(); }
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const directory = canonical(dataDir);
  const file = `${directory}.lock`;
  const self: DataDirLockHolder = {
    pid: process.pid,
    command: commandLine(),
    started_at: new Date(Date.now() - process.uptime() * 1000).toISOString(),
  };
  if (held.has(file)) throw new DataDirLockedError(directory, file, self);
  mkdirSync(dirname(file), { recursive: true });
  const content = `${JSON.stringify({ ...self, nonce: randomBytes(8).toString('hex') })}\n`;

  for (let attempt = 0; ; attempt += 1) {
    if (attempt === 10) throw new Error(`could not take the lock ${file}: it keeps changing`);
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let raw = readRaw(file);
      // Between another process's open and its write the file is empty: give it a moment before judging.
      for (let wait = 0; raw !== undefined && !parseHolder(raw) && wait < 5; wait += 1) {
        sleep(40);
        raw = readRaw(file);
      }
      if (raw === undefined) continue;
      const holder = parseHolder(raw);
      // Our own pid without our registry entry is a lock left by an earlier process that had our pid (pid 1 in a
      // container), not a live one.
      const live = holder !== undefined && holder.pid !== process.pid && isAlive(holder.pid);
      if (live) throw new DataDirLockedError(directory, file, holder);
      removeStale(file, raw);
      continue;
    }
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    break;
  }

  held.add(file);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    held.delete(file);
    process.off('exit', release);
    try {
      // Only our own lock: after a takeover by someone else, the file is theirs.
      if (readFileSync(file, 'utf8') === content) unlinkSync(file);
    } catch {
      // gone already
    }
  };
  process.on('exit', release);
  return { file, release };
}
