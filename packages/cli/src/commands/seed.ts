/** `calicritters seed`: create the demo definitions; existing ones are left as they are (safe to rerun). */
import { createMetricAdmin, DuplicateKeyError, type Storage } from '@ab-calicritters/server';
import { demoExperiments, demoFunnels, demoMetrics } from '../demo-data.js';

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
  // Metrics first: experiments name them. The admin checks fill in their defaults.
  const metrics = createMetricAdmin(storage);
  for (const metric of demoMetrics) {
    await createOnce(
      () =>
        metrics.create(metric).catch((error: unknown) => {
          // The admin service answers an existing key with a 409; seeding treats it as already there.
          if ((error as { status?: number }).status === 409) throw new DuplicateKeyError(metric.key);
          throw error;
        }),
      `metric ${metric.key}`,
      result,
    );
  }
  for (const experiment of demoExperiments) {
    await createOnce(() => storage.experiments.create(experiment), `experiment ${experiment.key}`, result);
  }
  for (const funnel of demoFunnels) {
    await createOnce(() => storage.funnels.create(funnel), `funnel ${funnel.name}`, result);
  }
  return result;
}
