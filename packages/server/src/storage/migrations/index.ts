/** Ordered list of migrations, passed to MikroORM's migrator so it works the same from src (tsx) and dist. */
import { Migration0001Foundation } from './migration-0001-foundation.js';
import { Migration0002Rollups } from './migration-0002-rollups.js';
import { Migration0003LoadTests } from './migration-0003-load-tests.js';
import { Migration0004Archive } from './migration-0004-archive.js';
import { Migration0005PartitionedEvents } from './migration-0005-partitioned-events.js';
import { Migration0006IncrementalRollups } from './migration-0006-incremental-rollups.js';
import { Migration0007ExperimentRules } from './migration-0007-experiment-rules.js';
import { Migration0008OverridesHoldouts } from './migration-0008-overrides-holdouts.js';
import { Migration0009AuditLog } from './migration-0009-audit-log.js';
import { Migration0010SavedGroups } from './migration-0010-saved-groups.js';
import { Migration0011HoldoutAssignments } from './migration-0011-holdout-assignments.js';
import { Migration0012MetricCatalog } from './migration-0012-metric-catalog.js';
import { Migration0013ExperimentAnalysis } from './migration-0013-experiment-analysis.js';
import { Migration0014CatalogDailyRollups } from './migration-0014-catalog-daily-rollups.js';
import { Migration0015FunnelProgressNoFk } from './migration-0015-funnel-progress-no-fk.js';

export const migrationsList = [
  { name: 'Migration0001Foundation', class: Migration0001Foundation },
  { name: 'Migration0002Rollups', class: Migration0002Rollups },
  { name: 'Migration0003LoadTests', class: Migration0003LoadTests },
  { name: 'Migration0004Archive', class: Migration0004Archive },
  { name: 'Migration0005PartitionedEvents', class: Migration0005PartitionedEvents },
  { name: 'Migration0006IncrementalRollups', class: Migration0006IncrementalRollups },
  { name: 'Migration0007ExperimentRules', class: Migration0007ExperimentRules },
  { name: 'Migration0008OverridesHoldouts', class: Migration0008OverridesHoldouts },
  { name: 'Migration0009AuditLog', class: Migration0009AuditLog },
  { name: 'Migration0010SavedGroups', class: Migration0010SavedGroups },
  { name: 'Migration0011HoldoutAssignments', class: Migration0011HoldoutAssignments },
  { name: 'Migration0012MetricCatalog', class: Migration0012MetricCatalog },
  { name: 'Migration0013ExperimentAnalysis', class: Migration0013ExperimentAnalysis },
  { name: 'Migration0014CatalogDailyRollups', class: Migration0014CatalogDailyRollups },
  { name: 'Migration0015FunnelProgressNoFk', class: Migration0015FunnelProgressNoFk },
];
