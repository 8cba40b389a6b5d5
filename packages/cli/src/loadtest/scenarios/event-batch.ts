/**
 * Realistic event batches for the demo game: fresh UUIDs, the client's own timestamps a little in the past, every
 * event tagged with the run id. Some batches carry duplicates on purpose: an event repeated inside the batch, or an
 * already acknowledged event sent again as a client retry would.
 */
import { randomUUID } from 'node:crypto';
import type { EventsRequest, TrackedEvent } from '@ab-calicritters/core';
import type { ScenarioContext } from './scenario-types.js';

const SCREENS = ['home', 'map', 'collection', 'shop', 'settings'];
const CRITTERS = ['tabby', 'calico', 'siamese', 'maine_coon', 'sphynx'];

/** Share of batches with an in-batch repeat, and with a retried acknowledged event. */
const REPEAT_SHARE = 0.1;
const RETRY_SHARE = 0.1;

export interface BuiltBatch {
  body: string;
  events: TrackedEvent[];
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

function eventFor(
  ctx: ScenarioContext,
  userId: string,
  name: string,
  properties: Record<string, unknown>,
): TrackedEvent {
  const ageMs = Math.floor(ctx.random() * 5000);
  return {
    event_id: randomUUID(),
    user_id: userId,
    name,
    timestamp: new Date(ctx.now().getTime() - ageMs).toISOString(),
    properties: { ...properties, load_test_run: ctx.runId },
  };
}

/** Events one app session might queue for `userId` (an `app_open` first when `opening`). */
export function sessionEvents(ctx: ScenarioContext, userId: string, opening: boolean): TrackedEvent[] {
  const { random } = ctx;
  const events: TrackedEvent[] = [];
  if (opening) events.push(eventFor(ctx, userId, 'app_open', { platform: random() < 0.5 ? 'ios' : 'android' }));
  const views = 1 + Math.floor(random() * (opening ? 3 : 8));
  for (let i = 0; i < views; i++) events.push(eventFor(ctx, userId, 'screen_view', { screen: pick(SCREENS, random) }));
  if (random() < 0.3) events.push(eventFor(ctx, userId, 'tutorial_complete', {}));
  if (random() < 0.25) events.push(eventFor(ctx, userId, 'first_catch', { critter: pick(CRITTERS, random) }));
  if (random() < 0.05)
    events.push(eventFor(ctx, userId, 'purchase', { value: pick([0.99, 4.99, 9.99], random), currency: 'USD' }));
  return events;
}

/** A batch body for `events`, adding the intentional duplicates; records what was sent in the ledger. */
export function buildBatch(ctx: ScenarioContext, fresh: TrackedEvent[]): BuiltBatch {
  const events = [...fresh];
  let duplicates = 0;
  if (events.length > 0 && ctx.random() < REPEAT_SHARE) {
    events.push({ ...pick(events, ctx.random) });
    duplicates++;
  }
  const retried = ctx.random() < RETRY_SHARE ? ctx.ledger.acknowledgedSample() : undefined;
  if (retried) {
    events.push(retried);
    duplicates++;
  }
  ctx.ledger.eventsSent(events.length, duplicates);
  const request: EventsRequest = { events, sent_at: ctx.now().toISOString() };
  return { body: JSON.stringify(request), events };
}
