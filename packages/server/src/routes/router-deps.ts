/** What every route module receives: storage, configuration and shared caches. */
import type { Logger } from '../http/error-middleware.js';
import type { TokenSetting } from '../http/token-auth.js';
import type { MetricsInstruments } from '../metrics/ab-metrics.js';
import type { AssignmentCache } from '../services/assignment-cache.js';
import type { ExperimentCache } from '../services/experiment-cache.js';
import type { RuleLookups } from '../services/rule-lookups.js';
import type { Storage } from '../storage/storage.js';

export interface RouterDeps {
  storage: Storage;
  experimentCache: ExperimentCache;
  adminToken?: TokenSetting;
  dashboardToken?: TokenSetting;
  logger: Logger;
  /** How long the public summary is cached, in ms. */
  summaryCacheTtlMs: number;
  /** Current time; injectable for tests of clock-skew correction. */
  now: () => Date;
  /** Where events and assignments are counted, when the router has metrics. */
  metrics?: MetricsInstruments;
  /** Stored sticky rows of returning users, kept in process; none: every request reads them. */
  assignmentCache?: AssignmentCache;
  /** QA overrides and holdouts for the assignment endpoint; default: none ({@link noRuleLookups}). */
  ruleLookups?: RuleLookups;
}
