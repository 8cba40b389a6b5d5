/**
 * The catalog metrics per first-exposure day: experiment_catalog_daily_rollups holds, per window length × experiment ×
 * catalog metric × variant × UTC day, the sums of experiment_catalog_rollups over the users first exposed that day.
 * Users are disjoint across days, so every sum is additive: the rows up to a day are the cumulative effect's input
 * (the results' `series=cumulative`), and the rows of all days add up to the window row.
 */
import { Migration } from '@mikro-orm/migrations';

export class Migration0014CatalogDailyRollups extends Migration {
  override async up(): Promise<void> {
    // The window rows' columns (with their defaults) plus the day. A day's row goes with its window row (on delete
    // cascade): the metrics job's delete of a window's rows removes their days too, and a released experiment keeps
    // both.
    this.addSql(`create table if not exists experiment_catalog_daily_rollups (
      like experiment_catalog_rollups including defaults,
      day date not null,
      primary key (experiment_key, window_days, metric_key, variant, day),
      foreign key (experiment_key, window_days, variant, metric_key)
        references experiment_catalog_rollups (experiment_key, window_days, variant, metric_key) on delete cascade
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists experiment_catalog_daily_rollups');
  }
}
