/** The experiment definitions the app ships with, for offline assignment before the server has answered. */
import type { BootstrapExperiment } from '@ab-calicritters/client';

export const EXPERIMENTS: BootstrapExperiment[] = [
  {
    key: 'onboarding_flow',
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'guided', weight: 0.5 },
    ],
  },
  {
    key: 'paywall_copy',
    variants: [
      { key: 'control', weight: 0.34 },
      { key: 'urgency', weight: 0.33 },
      { key: 'social_proof', weight: 0.33 },
    ],
  },
];
