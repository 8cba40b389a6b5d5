/**
 * The analysis method stored per experiment: `experiments.analysis` ({ method, alpha?, sequential_tuning? }), the
 * results endpoint's default unless a request asks for another method. Existing experiments keep the sequential
 * default they were analysed with.
 */
import { Migration } from '@mikro-orm/migrations';

export class Migration0013ExperimentAnalysis extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table experiments add column if not exists analysis jsonb not null default '{"method": "sequential"}'::jsonb`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table experiments drop column if exists analysis`);
  }
}
