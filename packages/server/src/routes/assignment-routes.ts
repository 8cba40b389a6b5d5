/** POST /v1/assignment: sticky variants for one user. */
import Router from '@koa/router';
import { LIMITS, type AssignmentRequest } from '@ab-calicritters/core';
import { badRequest } from '../http/http-error.js';
import { readJsonBody } from '../http/json-body.js';
import { check } from '../http/schema-validator.js';
import { assignUser } from '../services/assign-user.js';
import type { RouterDeps } from './router-deps.js';

/** Assignment requests are small; a tighter limit than events keeps abuse cheap. */
const ASSIGNMENT_BODY_LIMIT = 64 * 1024;

export function createAssignmentRouter({ storage, experimentCache }: RouterDeps): Router {
  return new Router().post('/v1/assignment', async (ctx) => {
    const body = await readJsonBody(ctx, Math.min(ASSIGNMENT_BODY_LIMIT, LIMITS.maxBodyBytes));
    const problems = check('AssignmentRequest', body);
    if (problems.length > 0) throw badRequest('invalid_request', 'The assignment request is invalid', problems);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await assignUser(storage, experimentCache, body as AssignmentRequest);
  });
}
