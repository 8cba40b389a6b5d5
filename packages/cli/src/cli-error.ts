/** Errors a command throws on purpose: the message is for the user, the exit code for scripts. */
import { DatabaseNotFoundError, DatabaseUnreachableError, DataDirLockedError } from '@ab-calicritters/server';

export class CliError extends Error {
  readonly code = 'cli_error';
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The one line the top-level handler prints for a failure that is not a bug, with its exit code; undefined for
 * anything else (printed in full, a bug report needs the stack).
 * @example const known = knownFailure(error); if (known) console.error(`error: ${known.message}`);
 */
export function knownFailure(error: unknown): { message: string; exitCode: number } | undefined {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof DatabaseNotFoundError) {
    return {
      message:
        `database '${error.database}' does not exist at ${error.address} (${error.safeUrl}): check DATABASE_URL, ` +
        'or run `calicritters migrate` to create it',
      exitCode: 1,
    };
  }
  if (error instanceof DatabaseUnreachableError) {
    return {
      message: `cannot reach PostgreSQL at ${error.address} (${error.reason}): is it running? DATABASE_URL=${error.safeUrl}`,
      exitCode: 1,
    };
  }
  // The embedded database already open elsewhere is an expected situation, not a crash.
  if (error instanceof DataDirLockedError) return { message: error.message, exitCode: 1 };
  return undefined;
}
