/** Finds a stored run by id, or by name (the newest run of that name). */
import type { LoadTestRunDetail } from '@ab-calicritters/core';
import { isLoadTestRunId, type Storage } from '@ab-calicritters/server';
import { CliError } from '../cli-error.js';

/** The run with this id, or the newest run with this name; `flag` names the option in errors. */
export async function resolveRun(storage: Storage, idOrName: string, flag: string): Promise<LoadTestRunDetail> {
  const value = idOrName.trim();
  if (!value) throw new CliError(`${flag} needs a run id or a run name`, 2);
  const run = isLoadTestRunId(value)
    ? await storage.loadTests.getRunDetail(value)
    : await storage.loadTests.latest({ name: value });
  if (!run) throw new CliError(`${flag}: no load-test run with id or name '${value}'`, 1);
  return run;
}
