/**
 * Who made an admin change: the `x-admin-actor` header sent with the admin token. Header values are bytes, so a
 * name outside printable ASCII travels percent-encoded as UTF-8 (`encodeURIComponent('Zoë')`) and is decoded here.
 */
import type { Context } from 'koa';
import { textProblem } from '@ab-calicritters/core';
import { badRequest } from './http-error.js';

/** The header that names who makes an admin change. */
const ACTOR_HEADER = 'x-admin-actor';

/** Longest actor name kept, in characters (after percent-decoding). */
const MAX_ACTOR_LENGTH = 128;

/** What the audit log records when a change comes without {@link ACTOR_HEADER}. */
const UNKNOWN_ACTOR = 'unknown';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** C0 and C1 control characters (tab and newline included): a name is one line of text. */
const isControl = (name: string) =>
  [...name].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f));

/**
 * The problem with an actor name (already decoded), or undefined when it can be stored: 1 to
 * {@link MAX_ACTOR_LENGTH} characters, no control characters, well-formed text.
 */
export function actorProblem(name: string): string | undefined {
  if (name.trim() === '') return 'must not be empty';
  if ([...name].length > MAX_ACTOR_LENGTH) return `must be at most ${MAX_ACTOR_LENGTH} characters`;
  if (isControl(name)) return 'must not contain control characters';
  return textProblem(name);
}

/**
 * The actor a raw `x-admin-actor` value names (percent-decoded, trimmed; {@link UNKNOWN_ACTOR} when empty), or the
 * problem with it.
 */
export function parseActorHeader(raw: string): { actor: string } | { problem: string } {
  if (raw === '') return { actor: UNKNOWN_ACTOR };
  if (!PRINTABLE_ASCII.test(raw))
    return { problem: 'must be printable ASCII; send other characters percent-encoded as UTF-8' };
  let name: string;
  try {
    name = decodeURIComponent(raw).trim();
  } catch {
    return { problem: "is not valid percent-encoding (write '%' as %25)" };
  }
  const problem = actorProblem(name);
  return problem ? { problem } : { actor: name };
}

/** The actor of this request (see {@link parseActorHeader}); a 400 naming the header when it cannot be stored. */
export function requestActor(ctx: Context): string {
  const parsed = parseActorHeader(ctx.get(ACTOR_HEADER));
  if ('actor' in parsed) return parsed.actor;
  const message = parsed.problem;
  throw badRequest('invalid_header', `${ACTOR_HEADER} ${message}`, [{ field: ACTOR_HEADER, message }]);
}
