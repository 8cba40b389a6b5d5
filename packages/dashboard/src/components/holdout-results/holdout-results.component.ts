/**
 * `<abc-holdout-results holdout-key="KEY">`: a holdout's held-out users against its exposed users, per metric, in
 * the table, verdicts and SRM banner of `<abc-experiment-results>` (which it extends).
 */
import type { PropertyValues } from 'lit';
import type { ExperimentResults } from '@ab-calicritters/core';
import type { DashboardApi } from '../../api/api-client.js';
import { AbcExperimentResults } from '../experiment-results/experiment-results.component.js';
import { asExperimentResults } from './holdout-results.model.js';

/**
 * @fires abc-metric-change - The metric or statistic shown changed (`detail.metric`, `detail.statistic`).
 * @example <abc-holdout-results holdout-key="long_run" token="…"></abc-holdout-results>
 */
export class AbcHoldoutResults extends AbcExperimentResults {
  static override properties = {
    ...AbcExperimentResults.properties,
    holdoutKey: { type: String, attribute: 'holdout-key' },
  };

  /** Key of the holdout. */
  declare holdoutKey: string;

  constructor() {
    super();
    this.holdoutKey = '';
  }

  protected override reloadKeys(): readonly string[] {
    return ['holdoutKey'];
  }

  protected override canLoad(): boolean {
    return this.holdoutKey.trim() !== '';
  }

  protected override willUpdate(changed: PropertyValues): void {
    // The header names what is shown by the key it shows for experiments.
    if (changed.has('holdoutKey')) this.experimentKey = this.holdoutKey;
    super.willUpdate(changed);
  }

  protected override async fetchData(api: DashboardApi, signal: AbortSignal): Promise<ExperimentResults> {
    return asExperimentResults(await api.holdoutResults(this.holdoutKey.trim(), this.windowDays, signal));
  }
}
