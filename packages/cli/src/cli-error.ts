/** Errors a command throws on purpose: the message is for the user, the exit code for scripts. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CliError';
  }
}
