/**
 * The CLI's version, from its own package.json: yargs looks for one next to the main module and, with an ESM bin in
 * `dist/`, finds none and prints `unknown`. src/ and dist/ both sit one level below the package root.
 */
import { createRequire } from 'node:module';

/** The version of `@ab-calicritters/cli` itself, as published. */
export const CLI_VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
