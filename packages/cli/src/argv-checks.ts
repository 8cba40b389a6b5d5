/**
 * Argument mistakes said in the words the user typed. yargs turns `--window-days abc` into NaN (so a later check can
 * only say "got NaN") and lists an unknown `--bogus-flag` twice, once camel-cased.
 */
import { CliError } from './cli-error.js';

/** What the user typed for `--name` (`--name value` or `--name=value`), or undefined. */
function typedValue(rawArgs: readonly string[], name: string): string | undefined {
  for (let i = rawArgs.length - 1; i >= 0; i--) {
    const arg = rawArgs[i]!;
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
    if (arg === `--${name}`) return rawArgs[i + 1];
  }
  return undefined;
}

/**
 * yargs middleware: a number option that did not parse as a number is refused with what was typed (exit code 2).
 * @example yargs(args).middleware((argv) => rejectNotANumber(argv, args))
 */
export function rejectNotANumber(argv: Record<string, unknown>, rawArgs: readonly string[]): void {
  for (const [name, value] of Object.entries(argv)) {
    if (typeof value !== 'number' || !Number.isNaN(value) || /[A-Z]/.test(name)) continue;
    const typed = typedValue(rawArgs, name);
    throw new CliError(`--${name} must be a number (got ${typed === undefined ? 'nothing' : `'${typed}'`})`, 2);
  }
}

const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * yargs' "Unknown arguments: bogus-flag, bogusFlag" with each argument once, as typed (`--bogus-flag`).
 * Other messages are returned unchanged.
 */
export function tidyUnknownArguments(message: string): string {
  const match = /^Unknown arguments?: (.*)$/.exec(message);
  if (!match) return message;
  const names = match[1]!.split(', ');
  const typed = names.filter((name) => !names.some((other) => other !== name && camelCase(other) === name));
  const shown = typed.map((name) => (name.length === 1 ? `-${name}` : `--${name}`));
  return `Unknown argument${shown.length > 1 ? 's' : ''}: ${shown.join(', ')}`;
}
