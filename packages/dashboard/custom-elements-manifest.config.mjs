/**
 * How `pnpm bundle` (and `pnpm build`) generate `custom-elements.json`, the Custom Elements Manifest of every
 * `abc-*` element: tags, attributes, properties, events, slots and CSS custom properties, read from the sources
 * and their TSDoc by @custom-elements-manifest/analyzer with its Lit support.
 */

import { readFileSync } from 'node:fs';

/**
 * The analyzer (0.11.0) copies a `@deprecated` tag's comment as TypeScript's node array when the comment holds a
 * `{@link …}`, and then cannot write the manifest (a circular structure). This turns such comments back into text.
 */
function deprecatedAsText() {
  const text = (comment) =>
    typeof comment === 'string'
      ? comment
      : Array.from(comment, (part) => part.text || part.name?.escapedText || part.name?.text || '')
          .join('')
          .trim() || 'true';
  const visit = (value) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'deprecated' && child && typeof child === 'object') value.deprecated = text(child);
        else visit(child);
      }
    }
  };
  return {
    name: 'deprecated-as-text',
    packageLinkPhase: ({ customElementsManifest }) => visit(customElementsManifest),
  };
}

/**
 * What a page may use, and nothing else: `#private` members go, and so do the attributes the Lit plugin reads off
 * internal reactive state (`state: true`, protected fields such as `status`), which no page can set.
 */
function publicSurface() {
  return {
    name: 'public-surface',
    packageLinkPhase: ({ customElementsManifest }) => {
      for (const declaration of customElementsManifest.modules.flatMap((m) => m.declarations ?? [])) {
        if (declaration.kind !== 'class') continue;
        const internal = new Set(
          (declaration.members ?? [])
            .filter((m) => m.privacy === 'private' || m.privacy === 'protected')
            .map((m) => m.name),
        );
        declaration.members = declaration.members?.filter((m) => !m.name.startsWith('#'));
        for (const m of declaration.members ?? []) if (internal.has(m.name)) delete m.attribute;
        declaration.attributes = declaration.attributes?.filter((a) => !internal.has(a.fieldName));
      }
    },
  };
}

/**
 * Every element takes the shared theme (src/shared/theme.ts): its `--abc-*` custom properties, with their defaults,
 * are listed on each element from that one file instead of tags written by hand.
 */
function themeProperties() {
  const source = readFileSync(new URL('./src/shared/theme.ts', import.meta.url), 'utf8');
  const properties = new Map();
  for (const match of source.matchAll(/var\((--abc-[a-z0-9-]+),\s*/g)) {
    // The default runs to the parenthesis that closes this var( (defaults such as rgb(…) nest).
    let depth = 1;
    let end = match.index + match[0].length;
    for (; end < source.length && depth > 0; end++) depth += source[end] === '(' ? 1 : source[end] === ')' ? -1 : 0;
    if (!properties.has(match[1]))
      properties.set(match[1], source.slice(match.index + match[0].length, end - 1).trim());
  }
  return {
    name: 'theme-properties',
    packageLinkPhase: ({ customElementsManifest }) => {
      for (const declaration of customElementsManifest.modules.flatMap((m) => m.declarations ?? [])) {
        if (!declaration.customElement) continue;
        const listed = new Set((declaration.cssProperties ?? []).map((p) => p.name));
        const theme = [...properties]
          .filter(([name]) => !listed.has(name))
          .map(([name, value]) => ({ name, default: value }));
        declaration.cssProperties = [...(declaration.cssProperties ?? []), ...theme];
      }
    },
  };
}

/** Paths as published: the manifest is read from the sources, but the package ships the compiled `dist/` files. */
function publishedPaths() {
  const published = (path) => path.replace(/^(\/?)src\//, '$1dist/').replace(/\.ts$/, '.js');
  const visit = (value) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if ((key === 'path' || key === 'module') && typeof child === 'string') value[key] = published(child);
        else visit(child);
      }
    }
  };
  return { name: 'published-paths', packageLinkPhase: ({ customElementsManifest }) => visit(customElementsManifest) };
}

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts'],
  outdir: '.',
  litelement: true,
  // package.json names the manifest itself; the analyzer would otherwise rewrite the file on every run.
  packagejson: false,
  plugins: [deprecatedAsText(), publicSurface(), themeProperties(), publishedPaths()],
};
