/** UUID v4 for event ids: `crypto.randomUUID` when present, else built from `crypto.getRandomValues`. */
import { host } from './platform.js';

type CryptoLike = NonNullable<typeof host.crypto>;

/**
 * A random (version 4) UUID. React Native has no `crypto` by default: install `react-native-get-random-values`,
 * otherwise the last-resort fallback uses `Math.random`, whose ids are unique enough for deduplication but guessable.
 * @example uuidv4() // '3b241101-e2bb-4255-8caf-4136c566a962'
 */
export function uuidv4(crypto: CryptoLike | undefined = host.crypto): string {
  if (crypto?.randomUUID) return crypto.randomUUID();
  let bytes = new Uint8Array(16);
  if (crypto?.getRandomValues) bytes = crypto.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  // RFC 9562: the high nibble of byte 6 is the version (4), the top bits of byte 8 the variant (10xx).
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  let hex = '';
  for (const byte of bytes) hex += (byte + 0x100).toString(16).slice(1);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
