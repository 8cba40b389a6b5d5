/**
 * Reads a JSON request body for our routes only (no global body parser is imposed on the host). Distinguishes the
 * caller's mistakes: wrong Content-Type or a compressed body → 415, over the limit → 413, malformed JSON → 400. If
 * the host already parsed the body (koa-bodyparser and friends), that value is used.
 */
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { badRequest, payloadTooLarge, unsupportedMediaType } from './http-error.js';

export function readJsonBody(ctx: Context, limitBytes: number): Promise<unknown> {
  // One promise per body, with raw-body's callback inside rather than an async function awaiting raw-body's own
  // promise: the assignment hot path awaits nothing else for a returning user.
  return new Promise((resolve, reject) => {
    // A throw in here (a refused header) rejects the promise.
    const preParsed = checkHeaders(ctx, limitBytes);
    if (preParsed !== undefined) return resolve(preParsed);
    getRawBody(ctx.req, { limit: limitBytes, encoding: 'utf8' }, (error, text) => {
      try {
        resolve(parseBody(ctx, limitBytes, error, text));
      } catch (refused) {
        reject(refused);
      }
    });
  });
}

/**
 * Refuses what the headers alone show to be wrong (media type, encoding, declared length); the body a host's parser
 * already read, if any.
 */
function checkHeaders(ctx: Context, limitBytes: number): unknown {
  // `ctx.is()` answers null, not false, for a request without a body (no Content-Length, no Transfer-Encoding), so
  // the media type is judged from the header itself: a JSON request with nothing in it is an empty body, not a 415.
  // The common exact header is decided without type-is parsing the media type on every request.
  const matched =
    ctx.req.headers['content-type'] === 'application/json' && hasBody(ctx)
      ? 'application/json'
      : ctx.is('application/json', '+json');
  if (matched === false || (matched === null && !isJsonMediaType(ctx.request.type))) {
    throw unsupportedMediaType(`Content-Type must be application/json (got '${ctx.get('Content-Type') || 'none'}')`);
  }
  if (matched === null) throw emptyBody();
  const preParsed = (ctx.request as { body?: unknown }).body;
  if (preParsed !== undefined) return preParsed;
  const encoding = ctx.get('Content-Encoding').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    // Compressed bodies are refused rather than inflated: no decompression bombs, and the limit stays in bytes read.
    ctx.set('Connection', 'close');
    throw unsupportedMediaType(`Content-Encoding '${encoding.slice(0, 32)}' is not accepted; send uncompressed JSON`);
  }
  const declared = Number(ctx.get('Content-Length'));
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(ctx, limitBytes);
  return undefined;
}

/** The body read, as JSON, or the error to answer: a read that failed, an empty body, malformed JSON. */
function parseBody(ctx: Context, limitBytes: number, error: unknown, text: string): unknown {
  if (error) {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') throw tooLarge(ctx, limitBytes);
    if (type === 'encoding.unsupported') throw unsupportedMediaType('Only utf-8 JSON bodies are accepted');
    ctx.set('Connection', 'close');
    throw badRequest('invalid_body', 'The request body could not be read');
  }
  if (text.trim() === '') throw emptyBody();
  try {
    return JSON.parse(text);
  } catch (invalid) {
    throw badRequest('invalid_json', `The request body is not valid JSON: ${(invalid as Error).message}`);
  }
}

/** type-is' test of whether a request has a body: a Transfer-Encoding, or a numeric Content-Length. */
function hasBody(ctx: Context): boolean {
  const headers = ctx.req.headers;
  return headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(headers['content-length']));
}

/** `application/json` or a `+json` suffix (`application/merge-patch+json`); Koa's `request.type` is lowercased. */
function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || /^[a-z0-9!#$&^_.-]+\/[a-z0-9!#$&^_.+-]+\+json$/.test(type);
}

function emptyBody() {
  return badRequest('empty_body', 'The request body is empty; a JSON object is expected');
}

/**
 * The rest of an over-limit body is never read (it may be endless), so the connection cannot be reused: close it
 * after the answer. Left open, the unread bytes would stall the next request on that keep-alive connection.
 */
function tooLarge(ctx: Context, limitBytes: number) {
  ctx.set('Connection', 'close');
  return payloadTooLarge('payload_too_large', `The request body exceeds ${limitBytes} bytes`);
}
