/**
 * The OpenAPI document: valid OpenAPI 3.1, and in step with the router. Every route in the router's own layer list is
 * described, nothing else is, and an operation asks for a token exactly when its route carries a guard, for the
 * header that guard checks.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type Router from '@koa/router';
import { Validator } from '@seriousme/openapi-schema-validator';
import { requestSchemas } from '@ab-calicritters/core';
import { createAbRouter, createOpenApiDocument } from '../src/index.js';
import { OPENAPI_PATH } from '../src/http/openapi.js';
import { tokenGuardHeader } from '../src/http/token-auth.js';
import { createTestStorage } from '../src/testing.js';
import { ADMIN_TOKEN, DASHBOARD_TOKEN, startTestServer } from './helpers/test-server.js';

interface RouteLayer {
  methods: string[];
  path: string;
  stack: unknown[];
}

type Operation = { security?: Array<Record<string, string[]>>; parameters?: Array<{ name: string; in: string }> };
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { name: string }> };
};

/** `/v1/admin/experiments/:key` → `/v1/admin/experiments/{key}`. */
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** Method and path of every route the router answers (HEAD comes with GET; OPTIONS is CORS preflight only). */
function routes(router: Router) {
  return (router.stack as unknown as RouteLayer[])
    .filter((l) => l.methods.length > 0 && typeof l.path === 'string')
    .flatMap((layer) =>
      layer.methods
        .filter((m) => m !== 'HEAD' && m !== 'OPTIONS')
        .map((method) => ({ method: method.toLowerCase(), path: openApiPath(layer.path), layer })),
    );
}

const it = suite('OpenAPI document');

it('is a valid OpenAPI 3.1 document, with and without a prefix and the load-test routes', async () => {
  for (const prefix of [undefined, '/ab'])
    for (const loadTests of [false, true]) {
      const validator = new Validator();
      const result = await validator.validate(createOpenApiDocument({ prefix, loadTests }));
      assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
      assert.is(validator.version, '3.1');
    }
});

it('a broken document fails the validator (the check can fail)', async () => {
  const doc = createOpenApiDocument() as Document;
  doc.paths['/health']!.get!.security = [{ adminToken: 'x' as unknown as string[] }];
  assert.not.ok((await new Validator().validate(doc)).valid);
});

it('every route of the router is described, with the token its guard checks, and nothing more', async () => {
  const db = await createTestStorage();
  try {
    for (const prefix of [undefined, '/ab'])
      for (const loadTests of [false, true]) {
        const router = createAbRouter({
          storage: db.storage,
          prefix,
          loadTests,
          openApi: true,
          adminToken: ADMIN_TOKEN,
        });
        const doc = createOpenApiDocument({ prefix, loadTests }) as Document;
        const schemes = doc.components.securitySchemes;
        const seen = new Set<string>();
        const found = routes(router);
        assert.ok(found.length >= 18, `${found.length} routes`);
        for (const { method, path, layer } of found) {
          const where = `${method.toUpperCase()} ${path} (prefix ${prefix}, loadTests ${loadTests})`;
          const op = doc.paths[path]?.[method];
          assert.ok(op, `${where} is not in the document: describe it in src/http/openapi.ts`);
          seen.add(`${method} ${path}`);
          const headers = layer.stack.map(tokenGuardHeader).filter((h) => h !== undefined);
          const documented = (op.security ?? []).flatMap((req) => Object.keys(req).map((s) => schemes[s]!.name));
          assert.equal(documented, headers, `${where}: security ${JSON.stringify(op.security)}`);
          for (const name of path.match(/\{(\w+)\}/g) ?? [])
            assert.ok(
              op.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === name),
              `${where}: ${name}`,
            );
        }
        for (const [path, item] of Object.entries(doc.paths))
          for (const method of Object.keys(item)) assert.ok(seen.has(`${method} ${path}`), `${method} ${path} extra`);
      }
  } finally {
    await db.close();
  }
});

it('documents the guards and parameters the issue names', () => {
  const doc = createOpenApiDocument({ loadTests: true }) as Document;
  assert.equal(doc.components.securitySchemes.adminToken, { type: 'apiKey', in: 'header', name: 'x-admin-token' });
  assert.equal(doc.components.securitySchemes.dashboardToken, {
    type: 'apiKey',
    in: 'header',
    name: 'x-dashboard-token',
  });
  const params = (path: string) => doc.paths[path]!.get!.parameters!.map((p) => p.name);
  for (const name of ['window_days', 'experiment_key', 'include_archived'])
    assert.ok(params('/v1/metrics/experiments').includes(name), name);
  assert.ok(params('/v1/admin/funnels').includes('include_archived'));
  assert.equal(doc.paths['/v1/metrics/summary']!.get!.security, []);
});

it('request bodies are core’s request schemas, the ones ajv validates with', () => {
  const { schemas } = (createOpenApiDocument() as Document).components;
  for (const [id, schema] of Object.entries(requestSchemas)) {
    const { $id: _id, ...plain } = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
    if (id === 'EventsEnvelope') continue; // its items point at TrackedEvent, checked one by one
    assert.equal(schemas[id], plain, id);
  }
  assert.ok(schemas.Error);
});

it('the router serves it at /openapi.json with openApi: true, under its prefix, and not without', async () => {
  const on = await startTestServer({ prefix: '/ab', openApi: true, dashboardToken: DASHBOARD_TOKEN });
  const off = await startTestServer();
  try {
    const res = await on.get(`/ab${OPENAPI_PATH}`);
    assert.is(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(res.body, createOpenApiDocument({ prefix: '/ab' }));
    assert.is((await off.get(OPENAPI_PATH)).status, 404);
  } finally {
    await on.close();
    await off.close();
  }
});

it('refuses an openApi option that is not a boolean', async () => {
  const db = await createTestStorage();
  try {
    assert.throws(
      () => createAbRouter({ storage: db.storage, openApi: 'yes' as unknown as boolean }),
      /openApi must be true or false/,
    );
  } finally {
    await db.close();
  }
});

it.run();
