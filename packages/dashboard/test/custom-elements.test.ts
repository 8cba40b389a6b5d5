/**
 * The Custom Elements Manifest the build writes: generated from the sources with the package's analyzer config
 * (without writing the file), it lists every registered element with its public attributes, events and theme.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
// @ts-expect-error: a plain .mjs script without type declarations
import { generateManifest } from '../scripts/manifest.mjs';

interface Declaration {
  name: string;
  tagName?: string;
  attributes?: Array<{ name: string; fieldName?: string; deprecated?: unknown }>;
  members?: Array<{ name: string; privacy?: string }>;
  events?: Array<{ name: string }>;
  cssProperties?: Array<{ name: string; default?: string }>;
}
interface Manifest {
  modules: Array<{ path: string; declarations?: Declaration[] }>;
}

const src = fileURLToPath(new URL('../src/', import.meta.url));
const it = suite<{ manifest: Manifest; elements: Map<string, Declaration> }>('custom-elements.json');

it.before(async (ctx) => {
  ctx.manifest = (await generateManifest({ write: false })) as Manifest;
  const declarations = ctx.manifest.modules.flatMap((m) => m.declarations ?? []);
  ctx.elements = new Map(declarations.filter((d) => d.tagName).map((d) => [d.tagName!, d]));
});

it('lists every element the package registers', ({ elements }) => {
  const registered = (readdirSync(src, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .flatMap((f) =>
      [...readFileSync(join(src, f), 'utf8').matchAll(/customElements\.define\('([a-z-]+)'/g)].map((m) => m[1]!),
    );
  assert.ok(registered.length >= 5);
  assert.equal([...elements.keys()].sort(), [...new Set(registered)].sort());
});

it('gives each element its own and the shared attributes, but no internal state', ({ elements }) => {
  const attributes = (tag: string) => elements.get(tag)?.attributes?.map((a) => a.name) ?? [];
  for (const [tag, own] of [
    ['abc-daily-metrics', 'top-events-limit'],
    ['abc-funnel', 'funnel-name'],
    ['abc-benchmarks', 'runs-limit'],
    ['abc-experiment-results', 'metric'],
    ['abc-dashboard', 'heading'],
  ] as const) {
    for (const name of [own, 'api-base-url', 'token', 'window-days'])
      assert.ok(attributes(tag).includes(name), `${tag} has ${name}`);
    for (const name of ['status', 'data', 'error'])
      assert.not.ok(attributes(tag).includes(name), `${tag} has no ${name} attribute`);
    const members = elements.get(tag)?.members ?? [];
    assert.ok(
      members.some((m) => m.name === 'api' && m.privacy === 'public'),
      `${tag} documents the api property`,
    );
    assert.not.ok(
      members.some((m) => m.name.startsWith('#')),
      `${tag} lists no #private member`,
    );
  }
});

it('documents the events and the --abc-* theme properties with their defaults', ({ elements }) => {
  for (const [tag, element] of elements) {
    const events = element.events?.map((e) => e.name) ?? [];
    // The admin elements report failures as abc-admin-error instead: a page that asks for another dashboard token on
    // an unauthorized abc-error must not take a refused admin token for a refused dashboard token.
    const admin = [
      'abc-experiment-manager',
      'abc-experiment-editor',
      'abc-experiment-history',
      'abc-experiment-rules',
    ].includes(tag);
    // A chart of data the page hands it loads nothing, so it has neither event.
    const loads = tag !== 'abc-cumulative-effect';
    if (!admin && loads)
      assert.ok(events.includes('abc-load') && events.includes('abc-error'), `${tag} fires abc-load and abc-error`);
    else assert.not.ok(events.includes('abc-error'), `${tag} fires no abc-error`);
    const own = {
      'abc-dashboard': ['abc-tab-change', 'abc-window-change', 'abc-experiment-select'],
      'abc-experiment-results': ['abc-metric-change'],
      'abc-experiment-manager': ['abc-experiment-saved', 'abc-experiment-status-change', 'abc-admin-error'],
      'abc-experiment-editor': ['abc-experiment-saved', 'abc-admin-error', 'abc-editor-cancel'],
      'abc-experiment-history': ['abc-admin-error', 'abc-history-close'],
      'abc-experiment-rules': ['abc-admin-error', 'abc-experiment-status-change', 'abc-rules-close'],
    }[tag];
    for (const name of own ?? []) assert.ok(events.includes(name), `${tag} fires ${name}`);
    const css = new Map(element.cssProperties?.map((p) => [p.name, p.default]));
    assert.is(css.get('--abc-color-positive'), '#137a52', tag);
    assert.is(css.get('--abc-chart-height'), '260px', tag);
  }
});

it('points at the published files and serialises (no compiler node left in a @deprecated note)', ({
  manifest,
  elements,
}) => {
  assert.ok(manifest.modules.length > 0);
  for (const m of manifest.modules) assert.match(m.path, /^dist\/.+\.js$/);
  const text = JSON.stringify(manifest);
  assert.not.match(text, /"\/?src\//);
  for (const element of elements.values()) {
    for (const a of element.attributes ?? [])
      if (a.deprecated !== undefined) assert.type(a.deprecated, 'string', `${element.tagName} ${a.name}`);
  }
});

it.run();
