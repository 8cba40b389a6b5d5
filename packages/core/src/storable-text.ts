/**
 * What PostgreSQL can store and our code can walk safely. JavaScript strings may hold unpaired UTF-16 surrogates
 * (a truncated emoji) and NUL characters; `text` and `jsonb` refuse both, so one such string would fail a whole
 * statement. Walks are iterative, so a value nested thousands deep cannot overflow the stack.
 * The server and the SDK run the same checks: the SDK refuses at `track()` what the server would refuse.
 */
import { LIMITS } from './limits.js';

/** A problem with one value, at a JSON pointer below the value checked (`''` for the value itself). */
export interface ValueProblem {
  path: string;
  message: string;
}

/**
 * Why `text` cannot be stored, or undefined when it can: a NUL character or an unpaired UTF-16 surrogate.
 * @example textProblem('🐱'.slice(0, 1)) // 'contains an unpaired UTF-16 surrogate at index 0'
 */
export function textProblem(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return `contains a NUL character (\\u0000) at index ${i}`;
    if (code < 0xd800 || code > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    return `contains an unpaired UTF-16 surrogate at index ${i}`;
  }
  return undefined;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Shortened for messages: a 1 MB key must not make a 1 MB error body. */
const shortPath = (path: string) => (path.length > 200 ? `${path.slice(0, 200)}…` : path);

export interface JsonValueLimits {
  maxDepth?: number;
  maxKeys?: number;
}

/**
 * The first reason a JSON-like value (event properties, request attributes) cannot be stored, or undefined:
 * a string or key {@link textProblem} refuses, nesting deeper than `maxDepth`, more than `maxKeys` object keys in
 * all, or a value JSON cannot carry (a function, a symbol, a BigInt, a non-finite number).
 * @example jsonValueProblem({ a: { b: 'x\u0000' } }) // { path: '/a/b', message: 'contains a NUL character …' }
 */
export function jsonValueProblem(value: unknown, limits: JsonValueLimits = {}): ValueProblem | undefined {
  const maxDepth = limits.maxDepth ?? LIMITS.maxPropertiesDepth;
  const maxKeys = limits.maxKeys ?? LIMITS.maxPropertiesKeys;
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];
  let keys = 0;
  while (stack.length > 0) {
    const item = stack.pop()!;
    const v = item.value;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { path: shortPath(item.path), message: problem };
      continue;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return { path: shortPath(item.path), message: 'is not a finite number' };
      continue;
    }
    if (v === null || typeof v === 'boolean') continue;
    if (typeof v !== 'object') return { path: shortPath(item.path), message: `a ${typeof v} cannot be sent as JSON` };
    const depth = item.depth + 1;
    if (depth > maxDepth) return { path: shortPath(item.path), message: `nested deeper than ${maxDepth} levels` };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: `${item.path}/${i}`, depth });
      continue;
    }
    const names = Object.keys(v);
    keys += names.length;
    if (keys > maxKeys) return { path: shortPath(item.path), message: `more than ${maxKeys} keys in all` };
    const children = names.map((key) => ({ key, path: `${item.path}/${escapePointer(key)}` }));
    for (const { key, path } of children) {
      const problem = textProblem(key);
      if (problem) return { path: shortPath(path), message: `key ${problem}` };
    }
    // Reversed, so problems are found in document order.
    for (let i = children.length - 1; i >= 0; i--) {
      const { key, path } = children[i]!;
      stack.push({ value: (v as Record<string, unknown>)[key], path, depth });
    }
  }
  return undefined;
}
