/**
 * The demo definitions `seed` creates: a small cat-collecting game's metric catalog, its experiments and its core
 * funnel.
 */
import type { ExperimentDefinition, FunnelDefinition, MetricDefinition } from '@ab-calicritters/core';

/**
 * A realistic catalog: a conversion, net revenue (refunds are negative `revenue` events) capped at the 99th
 * percentile, sessions, revenue per session, and a load-time guardrail where lower is better.
 */
export const demoMetrics: MetricDefinition[] = [
  { key: 'purchased', name: 'Purchased within 3 days', kind: 'conversion', event: 'purchase', window_hours: 72 },
  {
    key: 'net_revenue',
    name: 'Net revenue per user',
    kind: 'sum',
    event: 'revenue',
    capping: { type: 'percentile', value: 0.99 },
  },
  { key: 'sessions', name: 'Sessions per user', kind: 'count', event: 'app_open' },
  {
    key: 'revenue_per_session',
    name: 'Net revenue per session',
    kind: 'ratio',
    numerator: 'net_revenue',
    denominator: 'sessions',
  },
  {
    key: 'paywall_load_ms',
    name: 'Paywall load time (ms)',
    kind: 'sum',
    event: 'paywall_view',
    property: 'load_ms',
    direction: 'lower',
    capping: { type: 'absolute', value: 10_000 },
  },
];

export const demoExperiments: ExperimentDefinition[] = [
  {
    key: 'onboarding_flow',
    name: 'Guided onboarding vs classic',
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'guided', weight: 0.5 },
    ],
    status: 'running',
  },
  {
    key: 'paywall_copy',
    name: 'Paywall headline copy',
    variants: [
      { key: 'control', weight: 0.34 },
      { key: 'urgency', weight: 0.33 },
      { key: 'social_proof', weight: 0.33 },
    ],
    status: 'running',
    metrics: [
      { key: 'purchased', role: 'goal' },
      { key: 'net_revenue', role: 'goal' },
      { key: 'revenue_per_session', role: 'goal' },
      { key: 'sessions', role: 'guardrail' },
      { key: 'paywall_load_ms', role: 'guardrail' },
    ],
  },
];

export const demoFunnels: FunnelDefinition[] = [
  {
    name: 'core_journey',
    steps: ['app_open', 'tutorial_complete', 'first_catch', 'purchase'],
    conversion_window_hours: 72,
  },
];
