/**
 * funnel_user_progress drops its foreign key to funnels: the check ran once per inserted row, and a full funnels run
 * inserts a row per user and funnel (at 1M events, 168 000 checks: most of that insert's time). Funnels are archived,
 * never deleted, so the cascade it gave is not missed; a changed set of funnels makes the next run a full one, which
 * empties the table first, and the rollup joins progress to the funnels that exist.
 */
import { Migration } from '@mikro-orm/migrations';

export class Migration0015FunnelProgressNoFk extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table funnel_user_progress drop constraint if exists funnel_user_progress_funnel_name_fkey`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `delete from funnel_user_progress p where not exists (select 1 from funnels f where f.name = p.funnel_name)`,
    );
    this.addSql(`alter table funnel_user_progress add constraint funnel_user_progress_funnel_name_fkey
      foreign key (funnel_name) references funnels (name) on delete cascade`);
  }
}
