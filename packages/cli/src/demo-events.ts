/**
 * Demo traffic for a fresh install: a few hundred users of a cat-collecting game over the last days, assigned with
 * core's assign() and behaving a little differently per variant, so every chart and result has something to show.
 * Deterministic (seeded), and only generated into an empty event log.
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

export async function seedDemoEvents(storage: Storage, options: DemoEventsOptions = {}): Promise<DemoEventsResult> {
  const { users = 600, days = 14, now = new Date(), seed = 2026 } = options;
  if ((await storage.events.summary()).total_events > 0) return { generated: false, users: 0, events: 0 };
  const random = seededRandom(seed);
  const experiments = (await storage.experiments.listWithIds()).filter((e) => e.status === 'running');
  const rows: EventRow[] = [];
  const push = (user: string, name: string, at: number, properties: Record<string, unknown> = {}) => {
    if (at > now.getTime()) return;
    const iso = new Date(at).toISOString();
    rows.push({ event_id: randomUUID(), user_id: user, name, client_timestamp: iso, occurred_at: iso, properties });
  };

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
    if (random() < (TUTORIAL[variants.onboarding_flow ?? 'control'] ?? 0.62)) {
      push(user, 'tutorial_complete', (t += 120_000 + random() * 600_000));
      if (random() < 0.7) {
        push(user, 'first_catch', (t += 300_000 + random() * 3_600_000), {
          species: random() < 0.5 ? 'tabby' : 'calico',
        });
        if (random() < (PURCHASE[variants.paywall_copy ?? 'control'] ?? 0.16) * 2.2) {
          push(user, 'purchase', (t += 600_000 + random() * 20 * 3_600_000), { value: random() < 0.7 ? 4.99 : 9.99 });
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
