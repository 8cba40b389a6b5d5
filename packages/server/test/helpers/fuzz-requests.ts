/**
 * Whole HTTP requests for the endpoint fuzz tests: the endpoint table, arbitraries of paths, query strings, tokens,
 * content types, encodings and bodies, and a sender over node:http that puts the exact path and bytes on the wire.
 */
import fc from 'fast-check';
import { Agent, request as httpRequest } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import {
  bodyLimitLengths,
  deep,
  huge,
  hostileJson,
  hostileString,
  KNOWN_KEYS,
  oneFieldBroken,
  toJsonText,
  validAssignmentBody,
  eventsBody,
  validExperimentBody,
  validExperimentPatch,
  validFunnelBody,
  validFunnelPatch,
  validHoldoutBody,
  validHoldoutPatch,
  validOverrideBody,
  validSavedGroupBody,
  validSavedGroupPatch,
  validMetricBody,
  validMetricReplacement,
} from './fuzz-arbitraries.js';
import { ADMIN_TOKEN, DASHBOARD_TOKEN } from './test-server.js';

export type Guard = 'public' | 'admin' | 'dashboard';

export interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Route path; `:key`/`:name` and `:user_id` are filled with random segments. */
  path: string;
  guard: Guard;
  /** Share of the runs, in percent. */
  weight: number;
  /** Well-typed bodies, for endpoints that read one. */
  body?: fc.Arbitrary<unknown>;
  /** Query parameters the endpoint reads. */
  query?: readonly string[];
  /** Largest body the endpoint reads, in bytes. */
  limit?: number;
}

const ADMIN_LIMIT = 64 * 1024;
const SAVED_GROUP_LIMIT = 4 * 1024 * 1024;
const METRIC_QUERY = ['window_days'];

export const ENDPOINTS: readonly Endpoint[] = [
  { method: 'POST', path: '/v1/events', guard: 'public', weight: 16, body: eventsBody, limit: 1024 * 1024 },
  { method: 'POST', path: '/v1/assignment', guard: 'public', weight: 11, body: validAssignmentBody, limit: 64 * 1024 },
  { method: 'GET', path: '/health', guard: 'public', weight: 3 },
  { method: 'GET', path: '/v1/definitions', guard: 'public', weight: 3 },
  { method: 'GET', path: '/v1/metrics/summary', guard: 'public', weight: 3 },
  { method: 'GET', path: '/v1/metrics/daily', guard: 'dashboard', weight: 5, query: METRIC_QUERY },
  {
    method: 'GET',
    path: '/v1/metrics/experiments',
    guard: 'dashboard',
    weight: 5,
    query: [
      ...METRIC_QUERY,
      'experiment_key',
      'experiment_id',
      'include_archived',
      'method',
      'target_effect',
      'series',
    ],
  },
  {
    method: 'GET',
    path: '/v1/metrics/funnels',
    guard: 'dashboard',
    weight: 5,
    query: [...METRIC_QUERY, 'funnel_name', 'include_archived'],
  },
  {
    method: 'GET',
    path: '/v1/holdouts/:key/results',
    guard: 'dashboard',
    weight: 3,
    query: [...METRIC_QUERY, 'method', 'target_effect'],
  },
  { method: 'GET', path: '/v1/metrics/rollups/status', guard: 'dashboard', weight: 2 },
  { method: 'GET', path: '/v1/metrics/load-tests/runs', guard: 'dashboard', weight: 3, query: ['limit'] },
  { method: 'GET', path: '/v1/metrics/load-tests/latest', guard: 'dashboard', weight: 3, query: ['scenario'] },
  {
    method: 'GET',
    path: '/v1/metrics/load-tests/compare',
    guard: 'dashboard',
    weight: 4,
    query: ['baseline_run_id', 'candidate_run_id'],
  },
  { method: 'GET', path: '/v1/admin/experiments', guard: 'admin', weight: 3, query: ['include_archived'] },
  {
    method: 'GET',
    path: '/v1/admin/audit',
    guard: 'admin',
    weight: 3,
    query: ['limit', 'before_id', 'entity_kind', 'entity_key', 'actor', 'since', 'until'],
  },
  {
    method: 'POST',
    path: '/v1/admin/experiments',
    guard: 'admin',
    weight: 8,
    body: validExperimentBody,
    limit: ADMIN_LIMIT,
  },
  { method: 'GET', path: '/v1/admin/experiments/:key', guard: 'admin', weight: 4 },
  {
    method: 'PATCH',
    path: '/v1/admin/experiments/:key',
    guard: 'admin',
    weight: 7,
    body: validExperimentPatch,
    limit: ADMIN_LIMIT,
  },
  { method: 'GET', path: '/v1/admin/namespaces', guard: 'admin', weight: 2 },
  { method: 'GET', path: '/v1/admin/funnels', guard: 'admin', weight: 3, query: ['include_archived'] },
  { method: 'POST', path: '/v1/admin/funnels', guard: 'admin', weight: 5, body: validFunnelBody, limit: ADMIN_LIMIT },
  { method: 'GET', path: '/v1/admin/funnels/:name', guard: 'admin', weight: 3 },
  {
    method: 'PATCH',
    path: '/v1/admin/funnels/:name',
    guard: 'admin',
    weight: 5,
    body: validFunnelPatch,
    limit: ADMIN_LIMIT,
  },
  {
    method: 'GET',
    path: '/v1/admin/experiments/:key/overrides',
    guard: 'admin',
    weight: 3,
    query: ['include_expired'],
  },
  {
    method: 'PUT',
    path: '/v1/admin/experiments/:key/overrides/:user_id',
    guard: 'admin',
    weight: 6,
    body: validOverrideBody,
    limit: ADMIN_LIMIT,
  },
  { method: 'DELETE', path: '/v1/admin/experiments/:key/overrides/:user_id', guard: 'admin', weight: 3 },
  { method: 'GET', path: '/v1/admin/holdouts', guard: 'admin', weight: 2, query: ['include_archived'] },
  { method: 'POST', path: '/v1/admin/holdouts', guard: 'admin', weight: 5, body: validHoldoutBody, limit: ADMIN_LIMIT },
  { method: 'GET', path: '/v1/admin/holdouts/:key', guard: 'admin', weight: 2 },
  {
    method: 'PATCH',
    path: '/v1/admin/holdouts/:key',
    guard: 'admin',
    weight: 5,
    body: validHoldoutPatch,
    limit: ADMIN_LIMIT,
  },
  { method: 'GET', path: '/v1/admin/saved-groups', guard: 'admin', weight: 2 },
  {
    method: 'POST',
    path: '/v1/admin/saved-groups',
    guard: 'admin',
    weight: 4,
    body: validSavedGroupBody,
    limit: SAVED_GROUP_LIMIT,
  },
  { method: 'GET', path: '/v1/admin/saved-groups/:key', guard: 'admin', weight: 2 },
  {
    method: 'PATCH',
    path: '/v1/admin/saved-groups/:key',
    guard: 'admin',
    weight: 4,
    body: validSavedGroupPatch,
    limit: SAVED_GROUP_LIMIT,
  },
  { method: 'GET', path: '/v1/admin/metrics', guard: 'admin', weight: 2, query: ['include_archived'] },
  { method: 'POST', path: '/v1/admin/metrics', guard: 'admin', weight: 4, body: validMetricBody, limit: ADMIN_LIMIT },
  { method: 'GET', path: '/v1/admin/metrics/:key', guard: 'admin', weight: 2 },
  {
    method: 'PUT',
    path: '/v1/admin/metrics/:key',
    guard: 'admin',
    weight: 4,
    body: validMetricReplacement,
    limit: ADMIN_LIMIT,
  },
  // Last: they archive the seeded definitions, after which the PATCH routes could only answer 409.
  { method: 'DELETE', path: '/v1/admin/experiments/:key', guard: 'admin', weight: 2 },
  { method: 'DELETE', path: '/v1/admin/funnels/:name', guard: 'admin', weight: 2 },
  { method: 'DELETE', path: '/v1/admin/holdouts/:key', guard: 'admin', weight: 2 },
  { method: 'DELETE', path: '/v1/admin/saved-groups/:key', guard: 'admin', weight: 2 },
  { method: 'DELETE', path: '/v1/admin/metrics/:key', guard: 'admin', weight: 2 },
];

/** Whether the endpoint reads a request body (the others may still be sent one, which they ignore). */
export const readsBody = (e: Endpoint) => e.method === 'POST' || e.method === 'PUT' || e.method === 'PATCH';

export const endpointName = (e: Endpoint) => `${e.method} ${e.path}`;

/** One generated request, printed as the counterexample when a property fails. */
export interface FuzzRequest {
  method: string;
  /** The request target exactly as sent (path and query). */
  target: string;
  /** Whether the path is spelled so that it may miss our routes (then the host app's plain 404 is allowed). */
  oddSpelling: boolean;
  /** Whether the token sent is the right one for the route (always true for public routes). */
  authorized: boolean;
  headers: Record<string, string | string[]>;
  /** The body as JSON (placeholders expanded when sent) or as raw text. */
  body?: { json: unknown } | { text: string };
  /** Bytes that are not UTF-8 (or a stray NUL), spliced into the body's nth string value (or at its start if none). */
  badBytes?: { bytes: readonly number[]; nth: number };
  /** Sent as chunks without Content-Length. */
  chunked: boolean;
}

// ── paths and queries ──────────────────────────────────────────────────────────────────────────────────────────

const hex2 = (b: number) => b.toString(16).toUpperCase().padStart(2, '0');

/** Percent-encodes everything but unreserved characters, surrogates included (as WTF-8), so any string can travel. */
export function percentEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (/[A-Za-z0-9\-_.~]/.test(ch)) {
      out += ch;
      continue;
    }
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    const bytes =
      cp < 0x80
        ? [cp]
        : cp < 0x800
          ? [0xc0 | (cp >> 6), 0x80 | (cp & 63)]
          : cp < 0x10000
            ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)]
            : [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
    out += bytes.map((b) => `%${hex2(b)}`).join('');
  }
  return out;
}

/** One path segment or query value: known keys, odd case, percent-encoded junk, %00, broken escapes, raw bytes. */
const junkSegment = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      ...KNOWN_KEYS,
      'missing-key',
      'FUZZ_EXP',
      'Fuzz_Funnel',
      'a'.repeat(128),
      'a'.repeat(129),
    ),
  },
  { weight: 3, arbitrary: hostileString.filter((s) => !s.startsWith('~~') && s.length > 0).map(percentEncode) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '%00',
      'a%00b',
      '%ED%A0%BD',
      '%ED%B0%80',
      '%FF',
      '%C0%80',
      '%',
      '%G1',
      'a%',
      '%E0%A4',
      '..',
      '.',
      '%2e%2e',
      'a%2Fb',
      '%2F',
      '%5C',
      'a;b',
      'a,b',
      '%20',
      '+',
      'a+b',
      '~',
      "'",
      '*',
      '%25',
      '%2500',
      '%F0%9F%90%B1',
      'fuzz_exp%00',
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 6 })
      .map((b) => b.map((x) => `%${hex2(x)}`).join('')),
  },
);

/** A key path parameter: as often an existing definition (so writes can succeed) as junk. */
const keySegment = (endpoint: Endpoint) =>
  fc.oneof(
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        ...(endpoint.path.includes('/funnels/')
          ? ['fuzz_funnel']
          : endpoint.path.includes('/holdouts/')
            ? ['fuzz_holdout']
            : endpoint.path.includes('/saved-groups/')
              ? ['fuzz_group']
              : endpoint.path.includes('/admin/metrics/')
                ? ['fuzz_count', 'fuzz_sum', 'fuzz_ratio']
                : ['fuzz_exp', 'fuzz-draft']),
      ),
    },
    { weight: 1, arbitrary: junkSegment },
  );

/** A user id path parameter: the seeded override's user, ids that need encoding, or junk. */
const userSegment = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('qa-1', 'qa-2', 'qa%2Fphone%203', '%F0%9F%90%B1', 'u'.repeat(257)) },
  { weight: 1, arbitrary: junkSegment },
);

/** Ids of the seeded load-test runs; set once they exist. */
export const seededRunIds: string[] = [];

const queryValue = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.constantFrom(
      '',
      '0',
      '1',
      '7',
      '30',
      '90',
      '365',
      '366',
      '-1',
      '1.5',
      '1e2',
      '0x10',
      '%207',
      '07',
      '99999999999999999999',
      'NaN',
      'assignment',
      'ASSIGNMENT',
      'events',
      'mixed',
      'cumulative',
      '00000000-0000-0000-0000-000000000000',
      '6F9619FF-8B86-D011-B42D-00C04FC964FF',
      'true',
      'false',
      'TRUE',
    ),
  },
  { weight: 6, arbitrary: fc.constantFrom(0, 1).map((i) => seededRunIds[i] ?? 'no-run') },
  { weight: 12, arbitrary: junkSegment },
  { weight: 1, arbitrary: fc.constantFrom(1000, 6000).map((n) => 'a'.repeat(n)) },
);

function queryString(names: readonly string[]) {
  const name = fc.oneof(
    { weight: 4, arbitrary: names.length > 0 ? fc.constantFrom(...names) : fc.constant('x') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'Window_Days',
        'LIMIT',
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        '',
        '%00',
      ),
    },
    { weight: 1, arbitrary: junkSegment },
  );
  return fc
    .array(fc.tuple(name, queryValue, fc.boolean()), { maxLength: 4 })
    .map((pairs) =>
      pairs.length === 0 ? '' : `?${pairs.map(([n, v, bare]) => (bare && v === '' ? n : `${n}=${v}`)).join('&')}`,
    );
}

/** The route path as sent: mostly exact, sometimes in a spelling that misses case-sensitive routes. */
const spelling = fc.oneof(
  { weight: 12, arbitrary: fc.constant('exact' as const) },
  { weight: 1, arbitrary: fc.constantFrom('slash' as const, 'upper' as const, 'double' as const, 'encoded' as const) },
);

function spell(path: string, how: 'exact' | 'slash' | 'upper' | 'double' | 'encoded'): string {
  if (how === 'slash') return `${path}/`;
  if (how === 'upper') return path.replace(/^\/[a-z0-9]+/, (s) => s.toUpperCase());
  if (how === 'double') return path.replace(/^\//, '//');
  if (how === 'encoded') return path.replace(/^\/([a-z])/, (_, c: string) => `/%${c.charCodeAt(0).toString(16)}`);
  return path;
}

// ── headers ────────────────────────────────────────────────────────────────────────────────────────────────────

type TokenChoice = 'valid' | 'missing' | 'empty' | 'wrong' | 'other' | 'upper' | 'suffix' | 'twice';

const tokenChoice = fc.oneof(
  { weight: 8, arbitrary: fc.constant<TokenChoice>('valid') },
  {
    weight: 2,
    arbitrary: fc.constantFrom<TokenChoice>('missing', 'empty', 'wrong', 'other', 'upper', 'suffix', 'twice'),
  },
);

function tokenHeaders(
  guard: Guard,
  choice: TokenChoice,
  wrong: string,
  nameCase: number,
): Record<string, string | string[]> {
  if (guard === 'public' || choice === 'missing') return {};
  const [name, token, other] =
    guard === 'admin'
      ? ['x-admin-token', ADMIN_TOKEN, DASHBOARD_TOKEN]
      : ['x-dashboard-token', DASHBOARD_TOKEN, ADMIN_TOKEN];
  const spelled = [
    name,
    name.toUpperCase(),
    name.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase()),
  ][nameCase % 3]!;
  const value: Record<Exclude<TokenChoice, 'missing'>, string | string[]> = {
    valid: token,
    empty: '',
    wrong,
    other,
    upper: token.toUpperCase(),
    suffix: `${token}x`,
    twice: [token, token],
  };
  return { [spelled]: value[choice] };
}

const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant<string | undefined>('application/json') },
  {
    weight: 2,
    arbitrary: fc.constantFrom<string | undefined>(
      'application/json; charset=utf-8',
      'Application/JSON',
      'application/vnd.api+json',
      'application/json; charset=latin1',
      'application/json;charset=utf-16',
      'text/plain',
      'text/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'application/jsonx',
      'json',
      '*/*',
      '',
      'application/json, text/plain',
      'application/json; =;',
      'a/b/c',
      undefined,
    ),
  },
);

const encoding = fc.oneof(
  { weight: 14, arbitrary: fc.constant<string | undefined>(undefined) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<string | undefined>(
      'gzip',
      'GZIP',
      'x-gzip',
      'deflate',
      'br',
      'gzip, identity',
      'identity',
      ' identity ',
      'compress',
      'zstd',
    ),
  },
);

/** Whether an encoding header asks the server to inflate (it must refuse: 415). */
export const isCompressed = (value: string | undefined) =>
  value !== undefined && !['', 'identity'].includes(value.trim().toLowerCase());

const rawText = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '{',
      '{"a":',
      'nul',
      '[1,]',
      '{"user_id":"u"',
      '\u0000',
      '{"a":"\u0000"}',
      "{'a':1}",
      '1e999999',
      '"\\ud83d"',
      '\uFEFF{"user_id":"u-bom"}',
      '{"user_id":"u","user_id":{"x":1}}',
      '{"__proto__":{"polluted":"yes"},"user_id":"u-proto"}',
      '{"constructor":{"prototype":{"polluted":"yes"}},"user_id":"u-ctor"}',
      '{"events":[{"__proto__":{"polluted":"yes"}}]}',
      '{"events":[],"__proto__":{"polluted":"yes"}}',
      '{"key":"k","variants":[],"__proto__":{"status":"running"}}',
      '{"events":"x"}',
      'null',
      '[]',
      '0',
      'true',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

const badBytes = fc.record({
  bytes: fc.constantFrom(
    [0xff],
    [0xc3],
    [0xed, 0xa0, 0xbd],
    [0xe0, 0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0xc0, 0x80],
    [0x00],
    [0xfe, 0xff],
  ),
  nth: fc.nat(20),
});

/** `x-admin-actor` values for the audit log: names, percent-encoded ones, broken escapes, too long, NUL. */
const actorHeader = fc.oneof(
  fc.constantFrom('ana', 'Zo%C3%AB', '%', '%E0%A4', '%00', '%ED%A0%BD', 'a'.repeat(129), ' ', '100%25'),
  fc.string({ maxLength: 140 }).map((s) => s.replace(/[^\x20-\x7e]/g, '%')),
);

function bodyFor(endpoint: Endpoint): fc.Arbitrary<FuzzRequest['body']> {
  const valid = endpoint.body ?? fc.constant({});
  const overLimit = fc
    .constantFrom(...bodyLimitLengths)
    .map((n) => ({ json: { user_id: 'u-big', events: [], key: huge(n) } }));
  return fc.oneof(
    { weight: 16, arbitrary: oneFieldBroken(valid).map((json) => ({ json })) },
    { weight: 16, arbitrary: valid.map((json) => ({ json })) },
    { weight: 6, arbitrary: hostileJson.map((json) => ({ json })) },
    { weight: 3, arbitrary: rawText.map((text) => ({ text })) },
    { weight: 1, arbitrary: fc.constantFrom(deep(5_000, 'o'), deep(20_000, 'a')).map((json) => ({ json })) },
    { weight: 1, arbitrary: overLimit },
  );
}

/** Requests to one endpoint: a mostly well-formed envelope (path, token, type) around a mostly broken body. */
export function requestsTo(endpoint: Endpoint): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      how: spelling,
      segment: keySegment(endpoint),
      user: userSegment,
      query: queryString(endpoint.query ?? []),
      token: tokenChoice,
      wrongToken: fc.string({ minLength: 1, maxLength: 40 }).map((s) => s.replace(/[^\x21-\x7e]/g, 'x')),
      nameCase: fc.nat(2),
      type: contentType,
      encoding,
      body: readsBody(endpoint) ? bodyFor(endpoint) : fc.option(bodyFor(endpoint), { freq: 15, nil: undefined }),
      badBytes: fc.option(badBytes, { freq: 12, nil: undefined }),
      chunked: fc.boolean(),
      actor: fc.option(actorHeader, { freq: 3, nil: undefined }),
    })
    .map((r) => {
      const filled = endpoint.path.replace(/:(key|name)(?=\/|$)/, r.segment).replace(/:user_id$/, r.user);
      const path = spell(filled, r.how);
      const headers: Record<string, string | string[]> = {
        ...tokenHeaders(endpoint.guard, r.token, r.wrongToken, r.nameCase),
      };
      if (r.body && r.type !== undefined) headers['content-type'] = r.type;
      if (r.body && r.encoding !== undefined) headers['content-encoding'] = r.encoding;
      if (r.actor !== undefined && endpoint.guard === 'admin') headers['x-admin-actor'] = r.actor;
      return {
        method: endpoint.method,
        target: path + r.query,
        oddSpelling: r.how !== 'exact' && r.how !== 'slash',
        authorized: endpoint.guard === 'public' || r.token === 'valid',
        headers,
        body: r.body,
        badBytes: r.body ? r.badBytes : undefined,
        chunked: r.chunked,
      };
    });
}

// ── the wire ───────────────────────────────────────────────────────────────────────────────────────────────────

/** The body's bytes before any compression, as the server decodes them (for checking what it stored). */
export function bodyBytes(req: FuzzRequest): Buffer | undefined {
  if (!req.body) return undefined;
  const text = 'json' in req.body ? toJsonText(req.body.json) : req.body.text;
  let bytes = Buffer.from(text, 'utf8');
  if (req.badBytes) {
    // Inside a string value when there is one, so the bytes reach the JSON parser as text, not syntax.
    const starts: number[] = [];
    for (let at = bytes.indexOf(':"'); at >= 0 && starts.length <= req.badBytes.nth; at = bytes.indexOf(':"', at + 2))
      starts.push(at + 2);
    const cut = starts.length > 0 ? starts[req.badBytes.nth % starts.length]! : 0;
    bytes = Buffer.concat([bytes.subarray(0, cut), Buffer.from(req.badBytes.bytes), bytes.subarray(cut)]);
  }
  return bytes;
}

function compressed(bytes: Buffer, encodingHeader: string | undefined): Buffer {
  const name = encodingHeader?.trim().toLowerCase() ?? '';
  if (name.includes('gzip')) return gzipSync(bytes);
  if (name === 'deflate') return deflateSync(bytes);
  if (name === 'br') return brotliCompressSync(bytes);
  return bytes;
}

export interface FuzzReply {
  status: number;
  contentType: string;
  text: string;
  /** Set when the connection was reset before an answer arrived. */
  reset?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** Closes the sender's keep-alive sockets. */
export const closeSender = () => agent.destroy();

/** Sends one request with its exact target and bytes; gives up after `timeoutMs` (a hang is a failure too). */
export function sendRequest(port: number, req: FuzzRequest, timeoutMs = 15_000): Promise<FuzzReply> {
  const plain = bodyBytes(req);
  const encodingHeader = req.headers['content-encoding'];
  const bytes = plain && compressed(plain, typeof encodingHeader === 'string' ? encodingHeader : undefined);
  const headers = { ...req.headers };
  // Node chunks a GET body only when asked to; without either header its bytes would read as the next request.
  if (bytes)
    headers[req.chunked ? 'transfer-encoding' : 'content-length'] = req.chunked ? 'chunked' : String(bytes.length);
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: req.target, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          answered = true;
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) return;
      // The server may close an over-limit upload before reading it; the reset can overtake its 413 on the wire.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE')
        resolve({ status: 0, contentType: '', text: '', reset: error.code });
      else reject(error);
    });
    if (!bytes) request.end();
    else if (req.chunked) {
      const half = Math.ceil(bytes.length / 2);
      request.write(bytes.subarray(0, half));
      request.end(bytes.subarray(half));
    } else request.end(bytes);
  });
}
