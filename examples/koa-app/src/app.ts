/**
 * "Our existing shop backend": its own error format, request ids, a global body parser and its own routes.
 * AB Calicritters is added with three lines at the bottom and changes none of that.
 */
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { createAbRouter, type Storage } from '@ab-calicritters/server';

/** The tokens of our routers: `x-admin-token` for the admin API, `x-dashboard-token` for the metrics. */
interface ShopTokens {
  adminToken: string;
  dashboardToken: string;
}

export function createShopApp(storage: Storage, { adminToken, dashboardToken }: ShopTokens): Koa {
  const app = new Koa();

  // The host's own error handler and format: { ok: false, reason }.
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      ctx.status = (error as { status?: number }).status ?? 500;
      ctx.body = { ok: false, reason: (error as Error).message };
    }
  });
  app.use(async (ctx, next) => {
    ctx.set('x-request-id', crypto.randomUUID());
    await next();
  });
  app.use(bodyParser());

  const shop = new Router();
  shop.get('/products', (ctx) => {
    ctx.body = { ok: true, products: [{ sku: 'cat-tree', price: 49 }] };
  });
  shop.post('/cart', (ctx) => {
    const sku = (ctx.request.body as { sku?: string }).sku;
    if (!sku) ctx.throw(422, 'sku is required');
    ctx.body = { ok: true, added: sku };
  });
  app.use(shop.routes()).use(shop.allowedMethods());

  // AB Calicritters, mounted under /ab.
  const ab = createAbRouter({ storage, adminToken, dashboardToken, prefix: '/ab' });
  app.use(ab.routes()).use(ab.allowedMethods());
  return app;
}
