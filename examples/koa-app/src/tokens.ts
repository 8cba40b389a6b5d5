/**
 * The example's two tokens: ADMIN_TOKEN and DASHBOARD_TOKEN from the environment, or, when one is unset, a random
 * one for this run that the caller prints (as `calicritters serve` does). There is no fixed default to forget.
 */
import { randomBytes } from 'node:crypto';

type TokenName = 'ADMIN_TOKEN' | 'DASHBOARD_TOKEN';

interface ExampleTokens {
  adminToken: string;
  dashboardToken: string;
  /** The names that were unset and got a generated value. */
  generated: TokenName[];
}

/**
 * Reads both tokens; a set one shorter than 8 characters is an error naming it.
 * @example const { adminToken, dashboardToken } = readTokens(process.env);
 */
export function readTokens(env: NodeJS.ProcessEnv): ExampleTokens {
  const generated: TokenName[] = [];
  const read = (name: TokenName): string => {
    const value = env[name]?.trim();
    if (value) {
      if (value.length < 8) throw new Error(`${name} must be at least 8 characters`);
      return value;
    }
    generated.push(name);
    // Hex, so a printed token never starts with '-' and pastes safely into a shell or a header.
    return randomBytes(16).toString('hex');
  };
  return { adminToken: read('ADMIN_TOKEN'), dashboardToken: read('DASHBOARD_TOKEN'), generated };
}
