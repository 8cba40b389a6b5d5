/**
 * What of an error goes into the log. A database driver may quote a statement with its parameters in the message
 * (knex prefixes `<sql with bindings> - `), and our parameters are user ids and event properties: the log keeps the
 * error's kind, its SQLSTATE, the driver's own message (shortened) and the stack frames, never the statement.
 */

const MAX_MESSAGE = 300;
const MAX_FRAMES = 12;

export interface LoggableError {
  type: string;
  message: string;
  code?: string;
  stack?: string;
  cause?: LoggableError;
}

function shorten(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/** The driver's own message: what follows the statement knex puts in front of it. */
function ownMessage(message: string, hasSqlState: boolean): string {
  if (!hasSqlState) return message;
  const cut = message.lastIndexOf(' - ');
  return cut >= 0 ? message.slice(cut + 3) : message;
}

/** A log-safe summary of `error` (and up to two causes). */
export function loggableError(error: unknown, depth = 0): LoggableError {
  if (!(error instanceof Error)) return { type: typeof error, message: shorten(String(error)) };
  const rawCode = (error as { code?: unknown }).code;
  const code = typeof rawCode === 'string' ? rawCode : undefined;
  const hasSqlState = code !== undefined && /^[0-9A-Z]{5}$/.test(code);
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => line.startsWith('    at '))
    .slice(0, MAX_FRAMES);
  const summary: LoggableError = { type: error.name, message: shorten(ownMessage(error.message, hasSqlState)) };
  if (code) summary.code = code;
  if (frames.length > 0) summary.stack = frames.join('\n');
  if (error.cause !== undefined && depth < 2) summary.cause = loggableError(error.cause, depth + 1);
  return summary;
}
