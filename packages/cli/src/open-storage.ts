/** Opens storage for a command and always closes it, whatever the command does. */
import { createStorage, type Storage } from '@ab-calicritters/server';
import { storageOptions, type DatabaseConfig } from './config.js';

export async function withStorage<T>(db: DatabaseConfig, run: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = await createStorage({ ...storageOptions(db), migrate: true });
  try {
    return await run(storage);
  } finally {
    await storage.close();
  }
}
