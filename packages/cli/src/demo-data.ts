/** The demo definitions `seed` creates: a small cat-collecting game's experiments and its core funnel. */
import type { ExperimentDefinition, FunnelDefinition } from '@ab-calicritters/core';

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
  },
];

export const demoFunnels: FunnelDefinition[] = [
  {
    name: 'core_journey',
    steps: ['app_open', 'tutorial_complete', 'first_catch', 'purchase'],
    conversion_window_hours: 72,
  },
];
