/**
 * How fresh the dashboard's numbers are, decided without the DOM from `GET /v1/metrics/rollups/status`: per rollup
 * job and in one line ("Updated 3 min ago · next refresh in 2 min"), when to ask again, and whether a rollup has
 * finished since the data on screen was loaded.
 */
import type { RollupJobName, RollupStatus } from '../../api/api-types.js';
import { formatTimeAgo, formatTimeUntil } from '../../shared/format.js';

/** How often the status is read when the schedule's interval is unknown. */
const DEFAULT_POLL_MS = 60_000;

/** Without a known schedule, figures older than this are out of date. */
const STALE_WITHOUT_SCHEDULE_MS = 24 * 3_600_000;

/**
 * `fresh`; `stale`: older than two rollup intervals; `failed`: the newest run failed; `never`: never computed.
 * The last three are warnings.
 */
type FreshnessState = 'fresh' | 'stale' | 'failed' | 'never';

interface JobFreshness {
  job: RollupJobName;
  /** "Daily activity", "Experiments", "Funnels", "Catalog metrics". */
  label: string;
  state: FreshnessState;
  /** Seconds since the job's last success, as of now; null: never succeeded. */
  ageSeconds: number | null;
  /** "Updated 3 min ago", "Not computed yet". */
  text: string;
  /** The newest run's outcome, duration and window, e.g. "last run failed 2 min ago: …". */
  lastRun: string;
}

export interface Freshness {
  /** The worst of the jobs' states. */
  state: FreshnessState;
  /** One line for the header. */
  text: string;
  jobs: JobFreshness[];
}

/** The clock the status is read against. */
export interface FreshnessClock {
  /** Milliseconds since the status arrived: the server's `now` plus this is now, whatever the browser's clock says. */
  elapsedMs: number;
  /** The schedule's interval, ms; undefined when unknown. */
  intervalMs: number | undefined;
}

const LABELS: Record<RollupJobName, string> = {
  daily: 'Daily activity',
  experiments: 'Experiments',
  funnels: 'Funnels',
  metrics: 'Catalog metrics',
};

/** Worst first. */
const SEVERITY: readonly FreshnessState[] = ['failed', 'never', 'stale', 'fresh'];

const secondsBetween = (laterMs: number, earlier: string) => Math.max(0, (laterMs - Date.parse(earlier)) / 1000);

/** How long figures stay fresh: two intervals of the schedule, or a day when it is unknown. */
function staleAfterMs(intervalMs: number | undefined): number {
  return intervalMs ? 2 * intervalMs : STALE_WITHOUT_SCHEDULE_MS;
}

/** How long to wait before reading the status again: the schedule's interval, or a minute when it is unknown. */
export function pollDelayMs(intervalMs: number | undefined): number {
  return intervalMs && intervalMs > 0 ? intervalMs : DEFAULT_POLL_MS;
}

/**
 * Each job's freshness and one summary line: the oldest job decides "Updated … ago", a failed or never-computed job
 * is named, and with a known interval the next scheduled round is announced.
 * @example describeFreshness(status, { elapsedMs: 0, intervalMs: 5 * 60_000 }).text // "Updated 3 min ago · next refresh in 2 min"
 */
export function describeFreshness(status: RollupStatus, clock: FreshnessClock): Freshness {
  const nowMs = Date.parse(status.now) + clock.elapsedMs;
  const staleAfter = staleAfterMs(clock.intervalMs) / 1000;
  const jobs = status.jobs.map((j): JobFreshness => {
    const ageSeconds = j.lag_seconds === null ? null : j.lag_seconds + clock.elapsedMs / 1000;
    const state: FreshnessState =
      j.last_status === 'failed'
        ? 'failed'
        : ageSeconds === null
          ? 'never'
          : ageSeconds > staleAfter
            ? 'stale'
            : 'fresh';
    const ran = j.last_run_at ? formatTimeAgo(secondsBetween(nowMs, j.last_run_at)) : '';
    const lastRun = !j.last_run_at
      ? 'never ran'
      : j.last_status === 'failed'
        ? `last run failed ${ran}${j.last_error ? `: ${j.last_error}` : ''}`
        : `last run ${ran}${j.last_window_days ? `, over ${j.last_window_days} days` : ''}`;
    return {
      job: j.job,
      label: LABELS[j.job] ?? j.job,
      state,
      ageSeconds,
      text: ageSeconds === null ? 'Not computed yet' : `Updated ${formatTimeAgo(ageSeconds)}`,
      lastRun,
    };
  });
  const state = SEVERITY.find((s) => jobs.some((j) => j.state === s)) ?? 'never';
  const ages = jobs.flatMap((j) => (j.ageSeconds === null ? [] : [j.ageSeconds]));
  const parts: string[] = [];
  const failed = jobs.filter((j) => j.state === 'failed');
  if (failed.length) parts.push(`${names(failed)} rollup failed`);
  if (ages.length === 0) parts.push('not computed yet');
  else {
    parts.push(`updated ${formatTimeAgo(Math.max(...ages))}`);
    const never = jobs.filter((j) => j.ageSeconds === null);
    if (never.length) parts.push(`${names(never).toLowerCase()} not computed yet`);
    if (jobs.some((j) => j.state === 'stale')) parts.push('out of date');
  }
  const next = nextRound(status, nowMs, clock.intervalMs);
  if (next) parts.push(next);
  return { state, text: sentence(parts.join(' · ')), jobs };
}

const names = (jobs: readonly JobFreshness[]) => jobs.map((j) => j.label).join(', ');
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * "refreshing now" while this server runs a round; else, with a known interval, when the next scheduled round is
 * due (an interval after the newest run started). Nothing once a whole interval has been missed: the schedule is
 * then off or stuck, and "out of date" says enough.
 */
function nextRound(status: RollupStatus, nowMs: number, intervalMs: number | undefined): string | undefined {
  if (status.running) return 'refreshing now';
  if (!intervalMs) return undefined;
  const starts = status.jobs.flatMap((j) => (j.last_run_at ? [Date.parse(j.last_run_at)] : []));
  if (starts.length === 0) return undefined;
  const inSeconds = (Math.max(...starts) + intervalMs - nowMs) / 1000;
  if (inSeconds < -intervalMs / 1000) return undefined;
  return inSeconds <= 0 ? 'next refresh due' : `next refresh ${formatTimeUntil(inSeconds)}`;
}

/**
 * True when a rollup job has succeeded since `loaded` (the status read with the data on screen): the figures
 * behind the data changed and it should be read again. False without a baseline to compare with.
 */
export function hasNewRollup(loaded: RollupStatus | undefined, latest: RollupStatus): boolean {
  if (!loaded) return false;
  return latest.jobs.some((j) => {
    if (!j.last_success_at) return false;
    const before = loaded.jobs.find((b) => b.job === j.job)?.last_success_at;
    return !before || Date.parse(j.last_success_at) > Date.parse(before);
  });
}
