/** Runs the example shop on PORT (default 4000) with DATABASE_URL or the embedded database. */
import { createStorage } from '@ab-calicritters/server';
import { createShopApp } from './app.js';

const storage = await createStorage({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: './.data/koa-app',
  migrate: true,
});
const port = Number(process.env.PORT ?? 4000);
createShopApp(storage, process.env.ADMIN_TOKEN ?? 'change-me-admin-token').listen(port, () => {
  console.log(`shop on http://localhost:${port} — try GET /products and POST /ab/v1/assignment`);
});
