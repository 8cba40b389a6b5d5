/**
 * A deterministic, demo-like data set for browser tests and screenshots: ~3,800 players of a small cat-collecting
 * game over the last 7 UTC days (growing sign-ups, some coming back), two running experiments (one with a clear
 * lift on purchase), one with a sample-ratio mismatch, a draft without users, a four-step funnel with drop-off and
 * two load-test runs. The expected figures are computed here in plain code, independently of the SQL rollups.
 */
import { seededRandom } from '@ab-calicritters/core';
import type {
  ExperimentDefinition,
  FunnelDefinition,
  LoadTestDataCheck,
  LoadTestEndpointMetrics,
} from '@ab-calicritters/core';

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;

export interface DemoEvent {
  user_id: string;
  name: string;
  at: Date;
  value?: number;
}

export interface DemoAssignment {
  experiment_key: string;
  user_id: string;
  variant: string;
  at: Date;
}

export const DEMO_EXPERIMENTS: ExperimentDefinition[] = [
  {
    key: 'paywall_copy',
    name: 'Paywall headline copy',
    status: 'running',
    variants: [
      { key: 'control', weight: 0.34 },
      { key: 'urgency', weight: 0.33 },
      { key: 'social_proof', weight: 0.33 },
    ],
  },
  {
    key: 'onboarding_flow',
    name: 'Guided onboarding vs classic',
    status: 'running',
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'guided', weight: 0.5 },
    ],
  },
  {
    key: 'icon_refresh',
    name: 'Refreshed app icon',
    status: 'running',
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'new_icon', weight: 0.5 },
    ],
  },
  {
    key: 'checkout_redesign',
    name: 'Checkout redesign',
    status: 'draft',
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'redesign', weight: 0.5 },
    ],
  },
];

export const DEMO_FUNNEL: FunnelDefinition = {
  name: 'core_journey',
  steps: ['app_open', 'tutorial_complete', 'first_catch', 'purchase'],
  conversion_window_hours: 72,
};

function pick<T extends string>(rand: () => number, options: ReadonlyArray<{ key: T; weight: number }>): T {
  const total = options.reduce((sum, o) => sum + o.weight, 0);
  let r = rand() * total;
  for (const o of options) {
    r -= o.weight;
    if (r < 0) return o.key;
  }
  return options[options.length - 1]!.key;
}

const PURCHASE_RATE: Record<string, number> = { control: 0.2, urgency: 0.3, social_proof: 0.23 };
const TUTORIAL_RATE: Record<string, number> = { control: 0.68, guided: 0.8 };

/** Every event and assignment; `today` is any time on the last day of the data (its UTC day). */
export function generateDemoData(today: Date, seed = 6) {
  const rand = seededRandom(seed);
  const lastDay = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const firstDay = lastDay - 6 * DAY_MS;
  const events: DemoEvent[] = [];
  const assignments: DemoAssignment[] = [];
  // New players per day, growing through the week; enough for the sequential test to call the clear lift.
  const signups = [124, 140, 156, 176, 192, 224, 256].map((n) => n * 3);
  let n = 0;
  signups.forEach((count, dayIndex) => {
    for (let k = 0; k < count; k++) {
      const user = `player-${String(++n).padStart(4, '0')}`;
      const dayStart = firstDay + dayIndex * DAY_MS;
      // First session between 07:00 and 19:00 UTC, so a whole journey ends the same day.
      const t0 = dayStart + (7 * 60 + Math.floor(rand() * 12 * 60)) * MIN_MS;
      const at = (ms: number) => new Date(ms);
      events.push({ user_id: user, name: 'app_open', at: at(t0) });
      const paywall = pick(rand, DEMO_EXPERIMENTS[0]!.variants);
      const onboarding = pick(rand, DEMO_EXPERIMENTS[1]!.variants);
      assignments.push({ experiment_key: 'paywall_copy', user_id: user, variant: paywall, at: at(t0 + MIN_MS) });
      assignments.push({ experiment_key: 'onboarding_flow', user_id: user, variant: onboarding, at: at(t0 + MIN_MS) });
      // icon_refresh only reached some players, and its new icon lost a share of them on the way (an SRM).
      if (n % 2 === 0) {
        const icon = rand() < 0.62 ? 'control' : 'new_icon';
        assignments.push({ experiment_key: 'icon_refresh', user_id: user, variant: icon, at: at(t0 + MIN_MS) });
      }
      let t = t0 + (3 + Math.floor(rand() * 12)) * MIN_MS;
      if (rand() < TUTORIAL_RATE[onboarding]!) {
        events.push({ user_id: user, name: 'tutorial_complete', at: at(t) });
        t += (5 + Math.floor(rand() * 55)) * MIN_MS;
        if (rand() < 0.76) {
          events.push({ user_id: user, name: 'first_catch', at: at(t) });
          for (let c = 0; c < 1 + Math.floor(rand() * 4); c++)
            events.push({ user_id: user, name: 'catch_attempt', at: at(t + (c + 1) * 2 * MIN_MS) });
          if (rand() < 0.45) events.push({ user_id: user, name: 'shop_view', at: at(t + 11 * MIN_MS) });
          t += (10 + Math.floor(rand() * 170)) * MIN_MS;
          if (rand() < PURCHASE_RATE[paywall]!) {
            events.push({ user_id: user, name: 'purchase', at: at(t), value: rand() < 0.7 ? 4.99 : 9.99 });
          }
        }
      }
      // Coming back on later days.
      for (let d = dayIndex + 1; d < 7; d++) {
        if (rand() >= 0.42) continue;
        const start = firstDay + d * DAY_MS + (8 * 60 + Math.floor(rand() * 13 * 60)) * MIN_MS;
        events.push({ user_id: user, name: 'app_open', at: at(start) });
        for (let c = 0; c < 2 + Math.floor(rand() * 5); c++)
          events.push({ user_id: user, name: 'catch_attempt', at: at(start + (c + 1) * 3 * MIN_MS) });
        if (rand() < 0.3) events.push({ user_id: user, name: 'level_up', at: at(start + 20 * MIN_MS) });
        if (rand() < 0.35) events.push({ user_id: user, name: 'shop_view', at: at(start + 25 * MIN_MS) });
      }
    }
  });
  return { events, assignments, firstDay: new Date(firstDay), users: n };
}

export type DemoData = ReturnType<typeof generateDemoData>;

/** Events and distinct users per UTC day. */
export function expectedDaily(data: DemoData): Map<string, { events: number; users: number }> {
  const days = new Map<string, { events: number; users: Set<string> }>();
  for (const e of data.events) {
    const day = e.at.toISOString().slice(0, 10);
    const d = days.get(day) ?? { events: 0, users: new Set<string>() };
    d.events += 1;
    d.users.add(e.user_id);
    days.set(day, d);
  }
  return new Map([...days].map(([day, d]) => [day, { events: d.events, users: d.users.size }]));
}

/** Assigned and converted users per variant on one metric (events at or after assignment). */
export function expectedExperiment(data: DemoData, experiment: string, metric: string) {
  const result = new Map<string, { assigned: number; converted: number }>();
  for (const a of data.assignments.filter((x) => x.experiment_key === experiment)) {
    const r = result.get(a.variant) ?? { assigned: 0, converted: 0 };
    r.assigned += 1;
    if (data.events.some((e) => e.user_id === a.user_id && e.name === metric && e.at >= a.at)) r.converted += 1;
    result.set(a.variant, r);
  }
  return result;
}

/** Users reaching each funnel step (journeys are generated in order and well inside the conversion window). */
export function expectedFunnel(data: DemoData): number[] {
  return DEMO_FUNNEL.steps.map(
    (step) => new Set(data.events.filter((e) => e.name === step).map((e) => e.user_id)).size,
  );
}

function endpoint(
  name: string,
  rps: number,
  p50: number,
  p95: number,
  p99: number,
  errorRate: number,
): LoadTestEndpointMetrics {
  const requests = Math.round(rps * 60);
  const errors = Math.round(requests * errorRate);
  return {
    endpoint: name,
    requests,
    rps,
    status_2xx: requests - errors,
    status_4xx: 0,
    status_5xx: errors,
    timeouts: 0,
    transport_errors: 0,
    error_rate: errors / requests,
    latency_p50_ms: p50,
    latency_p95_ms: p95,
    latency_p99_ms: p99,
    latency_max_ms: p99 * 2.4,
    latency_mean_ms: p50 * 1.2,
  };
}

function checks(stickyConflicts: number): LoadTestDataCheck[] {
  return [
    { name: 'duplicate_assignment_rows', passed: true, violations: 0, checked: 4_812, details: {} },
    { name: 'duplicate_event_ids', passed: true, violations: 0, checked: 96_240, details: {} },
    { name: 'rollup_overlap', passed: true, violations: 0, checked: 12, details: {} },
    { name: 'row_presence', passed: true, violations: 0, checked: 2_000, details: {} },
    {
      name: 'sticky_conflicts',
      passed: stickyConflicts === 0,
      violations: stickyConflicts,
      checked: 4_812,
      details: {},
    },
  ];
}

/** The two stored load-test runs: a baseline and a faster post-mitigation run of the mixed scenario. */
export function demoLoadTests(today: Date) {
  const day = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return [
    {
      run: {
        name: 'mixed-baseline',
        scenario: 'mixed' as const,
        phase: 'baseline' as const,
        target: 'http://127.0.0.1:3000',
        started_at: new Date(day - 3 * DAY_MS + 14 * 3_600_000),
      },
      endpoints: [
        endpoint('POST /v1/assignment', 1_840, 11.2, 31.5, 48.7, 0),
        endpoint('POST /v1/events', 1_415, 19.8, 61.0, 95.4, 0.004),
        endpoint('GET /v1/metrics/summary', 2_910, 6.1, 14.8, 22.3, 0),
      ],
      checks: checks(3),
    },
    {
      run: {
        name: 'mixed-after-batching',
        scenario: 'mixed' as const,
        phase: 'post_mitigation' as const,
        target: 'http://127.0.0.1:3000',
        started_at: new Date(day - DAY_MS + 10 * 3_600_000),
      },
      endpoints: [
        endpoint('POST /v1/assignment', 2_630, 7.4, 15.2, 21.1, 0),
        endpoint('POST /v1/events', 2_480, 9.9, 24.6, 38.2, 0),
        endpoint('GET /v1/metrics/summary', 3_050, 5.8, 13.9, 19.6, 0),
      ],
      checks: checks(0),
    },
  ];
}
