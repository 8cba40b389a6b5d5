/** A storage adapter for Node: one file per key in a directory, written atomically (temp file, then rename). */
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StorageAdapter } from '../storage.js';

let sequence = 0;

function isMissing(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'ENOENT';
}

/**
 * Persist the SDK's state under `directory` (created on first write). A rename is atomic on POSIX file systems, so
 * a process killed mid-write leaves either the old value or the new one, never a torn file.
 * @example createClient({ baseUrl, storage: createFileStorage('.calicritters') })
 */
export function createFileStorage(directory: string): StorageAdapter {
  if (typeof directory !== 'string' || directory === '') {
    throw new TypeError('createFileStorage: `directory` must be a non-empty path');
  }
  let made: Promise<unknown> | undefined;
  // encodeURIComponent keeps keys like `abcc:queue:3` or user ids with slashes inside one flat directory.
  const fileOf = (key: string) => join(directory, `${encodeURIComponent(key).replace(/^\./, '%2E')}.json`);
  return {
    async getItem(key) {
      try {
        return await readFile(fileOf(key), 'utf8');
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async setItem(key, value) {
      made ??= mkdir(directory, { recursive: true }).catch((error: unknown) => {
        made = undefined;
        throw error;
      });
      await made;
      const file = fileOf(key);
      const temp = `${file}.${process.pid}.${++sequence}.tmp`;
      await writeFile(temp, value, 'utf8');
      await rename(temp, file);
    },
    async removeItem(key) {
      try {
        await unlink(fileOf(key));
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    },
  };
}
