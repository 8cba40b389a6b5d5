/** Errors a command throws on purpose: the message is for the user, the exit code for scripts. */
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
