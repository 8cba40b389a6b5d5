/**
 * GET /v1/definitions: the running and released experiments, with their rules, payloads and covering holdouts (and the
 * saved groups their conditions name), for
 * SDKs that evaluate offline. Public like `POST /v1/assignment` (whose answers already reveal each user's rules'
 * outcome and payloads), charged to the same per-address budget, and cheap to poll: the answer is cached per
 * definition set and carries an ETag, so an unchanged set costs a `304` without a body.
 */
import { createHash } from 'node:crypto';
import type Router from '@koa/router';
import { createRouter } from '../http/create-router.js';
import { NO_LIMITS, type PublicWriteLimits } from '../http/rate-limit.js';
import type { ExperimentSnapshot } from '../services/experiment-cache.js';
import { noRuleLookups, type RuleHoldout } from '../services/rule-lookups.js';
import { sdkDefinitions } from '../services/sdk-definitions.js';
import type { RouterDeps } from './router-deps.js';

/**
 * How long clients and shared caches may reuse an answer without asking again. Definitions are themselves cached
 * for `experimentCacheTtlMs` in each process, and an SDK polls far less often than that; 30 s bounds how long a
 * stopped experiment can still be evaluated by a client that just fetched.
 */
const DEFINITIONS_MAX_AGE_SECONDS = 30;

interface Rendered {
  snapshot: ExperimentSnapshot;
  holdouts: readonly RuleHoldout[];
  text: string;
  etag: string;
}

export function createDefinitionsRouter(
  { experimentCache, ruleLookups = noRuleLookups }: RouterDeps,
  limits: PublicWriteLimits = NO_LIMITS,
): Router {
  // The caches hand out the same objects until they reload, so the JSON text and its ETag are made once per reload.
  let last: Rendered | undefined;
  return createRouter().get('/v1/definitions', async (ctx) => {
    await limits.request(ctx, 'assignment');
    const [snapshot, holdouts] = await Promise.all([experimentCache.snapshot(), ruleLookups.holdouts()]);
    if (last?.snapshot !== snapshot || last.holdouts !== holdouts) {
      const text = JSON.stringify(sdkDefinitions(snapshot.experiments.values(), holdouts, snapshot.savedGroups));
      const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
      last = { snapshot, holdouts, text, etag };
    }
    ctx.set('Cache-Control', `public, max-age=${DEFINITIONS_MAX_AGE_SECONDS}`);
    ctx.type = 'application/json';
    ctx.etag = last.etag;
    if (matches(ctx.get('If-None-Match'), last.etag)) ctx.status = 304;
    else ctx.body = last.text;
  });
}

/**
 * Whether an `If-None-Match` list names this ETag (weak or strong) or is `*`. Koa's `ctx.fresh` is not used: it
 * ignores the header when the request also says `Cache-Control: no-cache`, which fetch() adds to every request that
 * sets `If-None-Match` itself, as the SDK does. An origin server answers the condition either way (RFC 9110 13.1.2).
 */
function matches(ifNoneMatch: string, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((token) => {
    const tag = token.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}
