/**
 * The few host capabilities the SDK uses (fetch, timers, crypto), typed minimally so the package compiles without
 * DOM or Node typings and runs on React Native, browsers and Node alike.
 */

/** Response fields the SDK reads; a WHATWG `Response` satisfies it. */
export interface ResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** Request options the SDK passes to fetch. */
export interface RequestInitLike {
  method: string;
  headers: Record<string, string>;
  /** Absent for GET. */
  body?: string;
  /**
   * An `AbortSignal` where the host has AbortController. Typed `any` on purpose: without DOM typings there is no
   * `AbortSignal` type to name, and anything narrower would make the global `fetch` unassignable to {@link FetchLike}.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  signal?: any;
}

/** A `fetch`-compatible function; the global `fetch` of browsers, React Native and Node 18+ fits as is. */
export type FetchLike = (url: string, init: RequestInitLike) => Promise<ResponseLike>;

/** Time and timers, injected so tests are deterministic and never sleep. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

interface HostGlobals {
  fetch?: FetchLike;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  AbortController?: new () => { signal: unknown; abort(): void };
  crypto?: { randomUUID?(): string; getRandomValues?<T extends Uint8Array>(array: T): T };
  console?: { warn(...args: unknown[]): void };
  localStorage?: SyncStorageLike;
  location?: { href?: string };
}

/** The synchronous Web Storage shape (`window.localStorage`). */
export interface SyncStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The host's globals, seen through the minimal types above. */
export const host = globalThis as unknown as HostGlobals;

/**
 * The real clock. Timers are unref'd where the host supports it, so a pending flush timer never keeps a Node
 * process alive.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const handle = host.setTimeout(callback, ms) as { unref?(): void };
    handle?.unref?.();
    return handle;
  },
  clearTimeout: (handle) => host.clearTimeout(handle),
};
