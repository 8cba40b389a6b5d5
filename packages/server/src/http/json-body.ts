/**
 * Reads a JSON request body for our routes only (no global body parser is imposed on the host). Distinguishes the
 * caller's mistakes: wrong Content-Type → 415, over the limit → 413, malformed JSON → 400. If the host already
 * parsed the body (koa-bodyparser and friends), that value is used.
 */
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { badRequest, payloadTooLarge, unsupportedMediaType } from './http-error.js';

export async function readJsonBody(ctx: Context, limitBytes: number): Promise<unknown> {
  if (!ctx.is('application/json', '+json')) {
    throw unsupportedMediaType(`Content-Type must be application/json (got '${ctx.get('Content-Type') || 'none'}')`);
  }
  const preParsed = (ctx.request as { body?: unknown }).body;
  if (preParsed !== undefined) return preParsed;
  const declared = Number(ctx.get('Content-Length'));
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  let text: string;
  try {
    text = await getRawBody(ctx.req, { limit: limitBytes, encoding: 'utf8' });
  } catch (error) {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') throw tooLarge(limitBytes);
    if (type === 'encoding.unsupported') throw unsupportedMediaType('Only utf-8 JSON bodies are accepted');
    throw badRequest('invalid_body', 'The request body could not be read');
  }
  if (text.trim() === '') throw badRequest('empty_body', 'The request body is empty; a JSON object is expected');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest('invalid_json', `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

function tooLarge(limitBytes: number) {
  return payloadTooLarge('payload_too_large', `The request body exceeds ${limitBytes} bytes`);
}
