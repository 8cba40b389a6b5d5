/** POST /v1/events: batched, idempotent event ingestion with partial acceptance. */
import type Router from '@koa/router';
import { LIMITS, type EventsRequest, type EventsResponse } from '@ab-calicritters/core';
import { createRouter } from '../http/create-router.js';
import { badRequest, payloadTooLarge } from '../http/http-error.js';
import { readJsonBody } from '../http/json-body.js';
import { NO_LIMITS, type PublicWriteLimits } from '../http/rate-limit.js';
import { check } from '../http/schema-validator.js';
import { prepareEvents } from '../services/prepare-events.js';
import { storeEvents } from '../services/store-events.js';
import type { RouterDeps } from './router-deps.js';

export function createEventRouter({ storage, now }: RouterDeps, limits: PublicWriteLimits = NO_LIMITS): Router {
  return createRouter().post('/v1/events', async (ctx) => {
    const receivedAt = now();
    await limits.request(ctx, 'events');
    const body = await readJsonBody(ctx, LIMITS.maxBodyBytes);
    const events = (body as { events?: unknown } | null)?.events;
    if (Array.isArray(events) && events.length > LIMITS.maxEventsPerBatch) {
      throw payloadTooLarge(
        'too_many_events',
        `A batch holds at most ${LIMITS.maxEventsPerBatch} events (got ${events.length}); split it`,
      );
    }
    const problems = check('EventsEnvelope', body);
    if (problems.length > 0) throw badRequest('invalid_request', 'The events envelope is invalid', problems);

    const { events: batch, sent_at } = body as EventsRequest;
    await limits.events(ctx, batch);
    const prepared = prepareEvents(batch, receivedAt, sent_at);
    const stored = await storeEvents((rows) => storage.events.insertBatch(rows), prepared.rows, prepared.indexes);
    const response: EventsResponse = {
      accepted: stored.accepted,
      duplicates: prepared.rows.length - stored.refused.length - stored.accepted + prepared.duplicatesInBatch,
      rejected: stored.refused.length > 0 ? [...prepared.rejected, ...stored.refused].sort((a, b) => a.index - b.index) : prepared.rejected,
    };
    ctx.body = response;
  });
}
