/** POST /v1/events: batched, idempotent event ingestion with partial acceptance. */
import type Router from '@koa/router';
import { LIMITS, type EventsResponse } from '@ab-calicritters/core';
import { createRouter } from '../http/create-router.js';
import { badRequest, payloadTooLarge } from '../http/http-error.js';
import { readJsonBody } from '../http/json-body.js';
import { NO_LIMITS, type PublicWriteLimits } from '../http/rate-limit.js';
import { parse } from '../http/schema-validator.js';
import { prepareEvents } from '../services/prepare-events.js';
import { storeEvents } from '../services/store-events.js';
import type { RouterDeps } from './router-deps.js';

export function createEventRouter(
  { storage, now, metrics }: RouterDeps,
  limits: PublicWriteLimits = NO_LIMITS,
): Router {
  return createRouter().post('/v1/events', async (ctx) => {
    const receivedAt = now();
    await limits.request(ctx, 'events');
    const body = await readJsonBody(ctx, LIMITS.maxBodyBytes);
    // Before the schema, so an oversized batch is answered 413 naming the limit rather than 400.
    const events = body !== null && typeof body === 'object' && 'events' in body ? body.events : undefined;
    if (Array.isArray(events) && events.length > LIMITS.maxEventsPerBatch) {
      throw payloadTooLarge(
        'too_many_events',
        `A batch holds at most ${LIMITS.maxEventsPerBatch} events (got ${events.length}); split it`,
      );
    }
    const envelope = parse('EventsEnvelope', body);
    if (!envelope.ok) throw badRequest('invalid_request', 'The events envelope is invalid', envelope.problems);

    const { events: batch, sent_at } = envelope.value;
    await limits.events(ctx, batch);
    const prepared = prepareEvents(batch, receivedAt, sent_at);
    const stored = await storeEvents(storage.events.insertColumns, prepared.batch, prepared.indexes);
    const response: EventsResponse = {
      accepted: stored.accepted,
      duplicates: prepared.batch.length - stored.refused.length - stored.accepted + prepared.duplicatesInBatch,
      rejected:
        stored.refused.length > 0
          ? [...prepared.rejected, ...stored.refused].sort((a, b) => a.index - b.index)
          : prepared.rejected,
    };
    metrics?.events.inc({ result: 'accepted' }, response.accepted);
    metrics?.events.inc({ result: 'duplicate' }, response.duplicates);
    metrics?.events.inc({ result: 'rejected' }, response.rejected.length);
    ctx.body = response;
  });
}
