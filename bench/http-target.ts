/**
 * The server side of bench/http.ts, in its own process so the load generator does not steal its CPU.
 * `ab <databaseUrl> [assignmentCacheSize]`: our routers on a Koa app (default cache size unless given); `bare`: a bare
 * Koa + @koa/router route that parses the JSON body and answers a small JSON object (the ceiling any Koa endpoint can
 * reach here). Prints the port on stdout.
 */
import Router from '@koa/router';
import Koa from 'koa';
import getRawBody from 'raw-body';
import { createAbRouter, createStorage } from '@ab-calicritters/server';

const [mode, databaseUrl, cacheSize] = process.argv.slice(2);
const app = new Koa();
app.silent = true;
if (mode === 'ab') {
  const storage = await createStorage({ databaseUrl, poolMax: 10 });
  const router = createAbRouter({
    storage,
    experimentCacheTtlMs: 1000,
    ...(cacheSize === undefined ? {} : { assignmentCacheSize: Number(cacheSize) }),
  });
  app.use(router.routes());
} else {
  const router = new Router();
  router.post('/v1/:any', async (ctx) => {
    const body = JSON.parse(await getRawBody(ctx.req, { limit: 1024 * 1024, encoding: 'utf8' })) as {
      user_id?: string;
    };
    ctx.body = { ok: true, user_id: body.user_id ?? null };
  });
  app.use(router.routes());
}
process.once('SIGINT', () => process.exit(0));
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(typeof address === 'object' && address ? address.port : 0);
});
