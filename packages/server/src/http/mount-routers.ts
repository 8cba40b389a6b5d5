/**
 * What every public router factory shares: checks of the options they have in common, and one router under the
 * prefix with our error middleware, CORS, the child routers, and 405/501 answers in our JSON error format.
 */
import type Router from '@koa/router';
import { corsHeaders, createPreflightRouter, type CorsOptions } from './cors.js';
import { createRouter } from './create-router.js';
import { createErrorMiddleware, type Logger } from './error-middleware.js';
import type { TokenSetting } from './token-auth.js';

/** Refuses a token setting that is not a string of ≥ 8 characters or a list of them, naming the option. */
export function checkToken(name: string, value: TokenSetting | undefined): void {
  if (value === undefined) return;
  if (typeof value !== 'string' && !Array.isArray(value))
    throw new Error(`${name} must be a string or a list of strings`);
  for (const token of typeof value === 'string' ? [value] : value) {
    if (typeof token !== 'string' || token.trim().length < 8)
      throw new Error(`${name} must be at least 8 characters when given`);
  }
}

/** Refuses a prefix that does not start with '/' or ends with '/'. */
export function checkPrefix(prefix: string | undefined): void {
  if (prefix !== undefined && !/^\/[^?#]*[^/?#]$/.test(prefix)) {
    throw new Error(`prefix must start with '/' and not end with '/' (got '${prefix}')`);
  }
}

export interface MountOptions {
  prefix?: string;
  logger: Logger;
  cors?: CorsOptions;
}

/** One router under `prefix` that mounts `children` behind the error middleware (and CORS when asked). */
export function mountRouters(options: MountOptions, children: readonly Router[]): Router {
  const router = createRouter(options.prefix);
  router.use(createErrorMiddleware(options.logger));
  if (options.cors) {
    router.use(corsHeaders(options.cors));
    const preflight = createPreflightRouter(options.cors);
    router.use(preflight.routes());
  }
  for (const child of children) router.use(child.routes(), child.allowedMethods());
  // Hosts mount `router.allowedMethods()` as with any router; ours answers 405/501 in our JSON error format.
  const allowedMethods = router.allowedMethods.bind(router);
  router.allowedMethods = (methodOptions) => withJsonBody(allowedMethods(methodOptions));
  return router;
}

/** @koa/router's 405/501 answers, but with our JSON error body instead of Koa's plain text. */
type AllowedMethodsMiddleware = ReturnType<Router['allowedMethods']>;

function withJsonBody(allowedMethods: AllowedMethodsMiddleware): AllowedMethodsMiddleware {
  return async (ctx, next) => {
    await allowedMethods(ctx, next);
    if ((ctx.status === 405 || ctx.status === 501) && ctx.body == null) {
      const allow = ctx.response.get('Allow');
      ctx.body = {
        error: {
          code: ctx.status === 405 ? 'method_not_allowed' : 'not_implemented',
          message: `${ctx.method} is not supported here${allow ? `; allowed: ${allow}` : ''}`,
        },
      };
    }
  };
}
