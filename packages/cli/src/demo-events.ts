/**
 * Demo traffic for a fresh install: a few hundred users of a cat-collecting game over the last days, assigned with
 * core's assign() and behaving a little differently per variant, so every chart and result has something to show.
 * Players are exposed (`$exposure`) to onboarding at their first app open and to the paywall when they first reach
 * it, so the catalog metrics have exposed users and a gap to the assigned ones. Deterministic (seeded), and only
 * generated into an empty event log.
 */
import { randomUUID } from 'node:crypto';
import { assign, seededRandom } from '@ab-calicritters/core';
import type { EventRow, Storage } from '@ab-calicritters/server';

export interface DemoEventsOptions {
  users?: number;
  days?: number;
  now?: Date;
  seed?: number;
}

export interface DemoEventsResult {
  generated: boolean;
  users: number;
  events: number;
}

// Chance of each step per variant: guided onboarding helps the tutorial, urgency copy helps purchases.
const TUTORIAL = { control: 0.62, guided: 0.78 } as Record<string, number>;
const PURCHASE = { control: 0.16, urgency: 0.23, social_proof: 0.18 } as Record<string, number>;
// The urgency paywall carries a countdown widget: it loads a little slower (the catalog's load-time guardrail).
const PAYWALL_LOAD_MS = { control: 320, urgency: 380, social_proof: 330 } as Record<string, number>;
// Share of purchases refunded later (a negative `revenue` event); urgency buyers regret a little more often.
const REFUND = { control: 0.05, urgency: 0.09, social_proof: 0.05 } as Record<string, number>;

export async function seedDemoEvents(storage: Storage, options: DemoEventsOptions = {}): Promise<DemoEventsResult> {
  const { users = 600, days = 14, now = new Date(), seed = 2026 } = options;
  if ((await storage.events.summary()).total_events > 0) return { generated: false, users: 0, events: 0 };
  const random = seededRandom(seed);
  // A second stream for exposures, revenue and load times, so the original traffic stays exactly as it was.
  const extra = seededRandom(seed + 1);
  const experiments = (await storage.experiments.listWithIds()).filter((e) => e.status === 'running');
  const rows: EventRow[] = [];
  const push = (user: string, name: string, at: number, properties: Record<string, unknown> = {}) => {
    if (at > now.getTime()) return;
    const iso = new Date(at).toISOString();
    rows.push({ event_id: randomUUID(), user_id: user, name, client_timestamp: iso, occurred_at: iso, properties });
  };

  const exposure = (user: string, experiment_key: string, variant: string, at: number) =>
    push(user, '$exposure', at, { experiment_key, variant });

  for (let i = 0; i < users; i++) {
    const user = `demo-${String(i).padStart(4, '0')}`;
    const start = now.getTime() - random() * days * 86_400_000;
    const variants: Record<string, string> = {};
    const sticky = experiments.flatMap((e) => {
      const variant = assign(e, user);
      if (!variant) return [];
      variants[e.key] = variant;
      return [{ experiment_id: e.id, variant, assigned_at: new Date(start).toISOString() }];
    });
    await storage.assignments.upsertSticky(user, sticky);

    let t = start + 1000;
    push(user, 'app_open', t, { platform: random() < 0.6 ? 'ios' : 'android' });
    // Everyone sees the onboarding at once: exposed at their first app open.
    if (variants.onboarding_flow) exposure(user, 'onboarding_flow', variants.onboarding_flow, t);
    if (random() < (TUTORIAL[variants.onboarding_flow ?? 'control'] ?? 0.62)) {
      push(user, 'tutorial_complete', (t += 120_000 + random() * 600_000));
      if (random() < 0.7) {
        push(user, 'first_catch', (t += 300_000 + random() * 3_600_000), {
          species: random() < 0.5 ? 'tabby' : 'calico',
        });
        // Only players who catch a first cat ever see the paywall: the others are assigned but never exposed.
        const paywall = variants.paywall_copy;
        if (paywall) {
          exposure(user, 'paywall_copy', paywall, t + 1000);
          const load = (PAYWALL_LOAD_MS[paywall] ?? 320) * (0.7 + extra() * 0.6);
          push(user, 'paywall_view', t + 1000, { load_ms: Math.round(load) });
        }
        if (random() < (PURCHASE[paywall ?? 'control'] ?? 0.16) * 2.2) {
          const value = random() < 0.7 ? 4.99 : 9.99;
          push(user, 'purchase', (t += 600_000 + random() * 20 * 3_600_000), { value });
          push(user, 'revenue', t, { value });
          if (extra() < (REFUND[paywall ?? 'control'] ?? 0.05)) {
            push(user, 'revenue', t + (1 + extra() * 47) * 3_600_000, { value: -value, reason: 'refund' });
          }
        }
      }
    }
    // Returning sessions on later days.
    for (let s = 0; s < Math.floor(random() * 4); s++)
      push(user, 'app_open', start + (s + 1) * 86_400_000 * (0.5 + random()));
    if (random() < 0.2) push(user, 'share', t + 60_000);
  }
  for (let i = 0; i < rows.length; i += 1000) await storage.events.insertBatch(rows.slice(i, i + 1000));
  return { generated: true, users, events: rows.length };
}
