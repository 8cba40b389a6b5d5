/** `calicritters seed`: create the demo definitions; existing ones are left as they are (safe to rerun). */
import { DuplicateKeyError, type Storage } from '@ab-calicritters/server';
import { demoExperiments, demoFunnels } from '../demo-data.js';

export interface SeedResult {
  created: string[];
  skipped: string[];
}

async function createOnce(make: () => Promise<unknown>, label: string, result: SeedResult): Promise<void> {
  try {
    await make();
    result.created.push(label);
  } catch (error) {
    if (!(error instanceof DuplicateKeyError)) throw error;
    result.skipped.push(label);
  }
}

export async function seed(storage: Storage): Promise<SeedResult> {
  const result: SeedResult = { created: [], skipped: [] };
  for (const experiment of demoExperiments) {
    await createOnce(() => storage.experiments.create(experiment), `experiment ${experiment.key}`, result);
  }
  for (const funnel of demoFunnels) {
    await createOnce(() => storage.funnels.create(funnel), `funnel ${funnel.name}`, result);
  }
  return result;
}
