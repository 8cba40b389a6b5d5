/**
 * The `?<experiment_key>=<index>` override that lets QA force a variant from the address bar, GrowthBook-compatible.
 * Parses the URL string by hand: core runs without DOM or Node globals, so `URL` is not available.
 */

/**
 * The variant index forced by the URL's query string, or null when the key is absent or its value is not a whole
 * number below `variantCount`. Only the first occurrence of the key counts; the fragment is ignored.
 * @example getQueryStringOverride('paywall', 'https://app.example/?paywall=1#top', 2) // 1
 */
export function getQueryStringOverride(key: string, url: string, variantCount: number): number | null {
  const hashStart = url.indexOf('#');
  const address = hashStart < 0 ? url : url.slice(0, hashStart);
  const queryStart = address.indexOf('?');
  if (queryStart < 0) return null;
  const query = address.slice(queryStart + 1);
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    const name = decode(equals < 0 ? pair : pair.slice(0, equals));
    if (name !== key) continue;
    const value = equals < 0 ? '' : decode(pair.slice(equals + 1));
    if (!/^[0-9]+$/.test(value)) return null;
    const index = Number(value);
    return index < variantCount ? index : null;
  }
  return null;
}

/** Percent-decoding that leaves a malformed escape (`%zz`) as written instead of throwing. */
function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
