/** POST /v1/assignment: sticky variants for one user. */
import type Router from '@koa/router';
import { jsonValueProblem, LIMITS, textProblem, type AssignmentRequest } from '@ab-calicritters/core';
import { createRouter } from '../http/create-router.js';
import { badRequest, type ErrorDetail } from '../http/http-error.js';
import { readJsonBody } from '../http/json-body.js';
import { NO_LIMITS, type PublicWriteLimits } from '../http/rate-limit.js';
import { parse } from '../http/schema-validator.js';
import { assignUser } from '../services/assign-user.js';
import { isPromiseLike } from '../services/maybe-promise.js';
import { exposureRows } from '../services/server-exposures.js';
import type { RouterDeps } from './router-deps.js';

/** Assignment requests are small; a tighter limit than events keeps abuse cheap. */
const ASSIGNMENT_BODY_LIMIT = 64 * 1024;

/**
 * What the schema cannot say: a user id PostgreSQL cannot store (two ids differing only in an unpaired surrogate
 * would otherwise collapse into one sticky row), attributes too deep or wide to walk.
 */
function storableProblems(request: AssignmentRequest): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const userId = textProblem(request.user_id);
  if (userId) problems.push({ field: '/user_id', message: userId });
  const attributes = request.attributes === undefined ? undefined : jsonValueProblem(request.attributes);
  if (attributes) problems.push({ field: `/attributes${attributes.path}`, message: attributes.message });
  return problems;
}

export function createAssignmentRouter(
  { storage, experimentCache, metrics, ruleLookups, assignmentCache, now }: RouterDeps,
  limits: PublicWriteLimits = NO_LIMITS,
): Router {
  // The labelled counters, made once rather than hashed from a label object per request.
  const counted = metrics && {
    new: metrics.assignments.labels({ kind: 'new' }),
    returning: metrics.assignments.labels({ kind: 'returning' }),
  };
  // Turned off, the limits are not even awaited: a returning user's request then awaits only its body.
  const limited = limits !== NO_LIMITS;
  return createRouter().post('/v1/assignment', async (ctx) => {
    if (limited) await limits.request(ctx, 'assignment');
    const body = await readJsonBody(ctx, Math.min(ASSIGNMENT_BODY_LIMIT, LIMITS.maxBodyBytes));
    const parsed = parse('AssignmentRequest', body);
    const problems = parsed.ok ? storableProblems(parsed.value) : parsed.problems;
    if (!parsed.ok || problems.length > 0) {
      throw badRequest('invalid_request', 'The assignment request is invalid', problems);
    }
    const request = parsed.value;
    if (limited) await limits.assignment(ctx, request.user_id);
    ctx.set('Cache-Control', 'no-store');
    // Returning users the caches hold are answered without a promise (see assignUser).
    const answered = assignUser(storage, experimentCache, request, ruleLookups, assignmentCache);
    const response = isPromiseLike(answered) ? await answered : answered;
    if (counted) {
      // Only bucketed users have an assignment: not excluded, forced or released ones.
      let given = 0;
      let created = 0;
      for (const a of response.assignments) {
        if (a.reason !== 'assigned') continue;
        given++;
        if (a.new) created++;
      }
      if (created > 0) counted.new.inc(created);
      if (given > created) counted.returning.inc(given - created);
    }
    // Server-side use: the caller shows the variants now, so their exposures are recorded here, not by an SDK.
    if (request.exposed) await storage.events.insertBatch(exposureRows(response, now()));
    ctx.body = response;
  });
}
