/** What a load scenario is made of: per-connection sessions of steps, each building one request at a time. */
import type { LoadTestScenario } from '@ab-calicritters/core';
import type { RunLedger } from '../run-ledger.js';
import type { UserPool } from './user-pool.js';

/** One HTTP request, built fresh for every send. */
interface BuiltRequest {
  method: 'GET' | 'POST';
  /** Path below the target's base path, e.g. `/v1/assignment`. */
  path: string;
  body?: string;
}

/** One request kind a session repeats; `endpoint` labels its metrics (`POST /v1/assignment`). */
export interface ScenarioStep {
  endpoint: string;
  /** Builds the next request (fresh ids, a user from the pool). */
  request(): BuiltRequest;
  /** Reads the answer to the request this step built last: records what the server acknowledged. */
  onResponse(status: number, body: string): void;
}

/** What every scenario gets: the run's tag, the shared user pool and ledger, and injectable randomness and time. */
export interface ScenarioContext {
  runId: string;
  users: UserPool;
  ledger: RunLedger;
  random: () => number;
  now: () => Date;
}

export interface Scenario {
  name: LoadTestScenario;
  /** Endpoints the scenario calls, in the order its sessions call them. */
  endpoints: readonly string[];
  /** Steps for one connection, with state of their own (one app session); called once per connection. */
  createSession(): ScenarioStep[];
}
