/** Raw artifacts of a run: `<dir>/<run-name>-<id8>.json` with everything measured, and a `.html` report beside it. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LoadTestRunDetail } from '@ab-calicritters/core';
import type { DriveResult } from './drive-load.js';
import type { EndpointSnapshot } from './endpoint-recorder.js';
import { renderHtmlReport } from './html-report.js';
import type { LedgerTotals } from './run-ledger.js';

/** Default artifacts directory, relative to the working directory. */
export const DEFAULT_ARTIFACTS_DIR = 'artifacts/load-tests';

export interface LoadTestArtifact {
  format: 'calicritters.load-test/1';
  run: LoadTestRunDetail;
  latency: Array<Omit<EndpointSnapshot, 'metrics'>>;
  ledger: LedgerTotals;
  autocannon: DriveResult['autocannon'];
}

export interface ArtifactPaths {
  json: string;
  html: string;
}

/** Where a run's artifacts go (absolute paths). */
export function artifactPaths(dir: string, run: { id: string; name: string }): ArtifactPaths {
  const base = join(resolve(dir), `${run.name}-${run.id.slice(0, 8)}`);
  return { json: `${base}.json`, html: `${base}.html` };
}

/** Writes the JSON artifact and its HTML report, creating the directory. */
export async function writeArtifacts(paths: ArtifactPaths, artifact: LoadTestArtifact): Promise<void> {
  await mkdir(resolve(paths.json, '..'), { recursive: true });
  await writeFile(paths.json, `${JSON.stringify(artifact, null, 2)}\n`);
  await writeFile(paths.html, renderHtmlReport(artifact));
}
