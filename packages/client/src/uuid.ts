/** UUID v4: `crypto.randomUUID` when present, else built from `crypto.getRandomValues`; event ids drawn in blocks. */
import { host } from './platform.js';

type CryptoLike = NonNullable<typeof host.crypto>;

/** `00` … `ff`. */
const HEX = Array.from({ length: 256 }, (_, byte) => (byte + 0x100).toString(16).slice(1));

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
  for (const byte of bytes) hex += HEX[byte]!;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The first 34 characters of the current block's UUID, and the number of its ids handed out. */
let block = '';
let used = 256;

/**
 * An event id: a v4 UUID whose last byte counts 0…255 through a block of ids sharing the other 114 random bits,
 * drawn with {@link uuidv4} once per block. Two ids can only collide when two blocks draw the same 114 bits: for n
 * ids that is about n² / 2¹³¹, against n² / 2¹²³ for n independent v4 UUIDs. An id tells the next ones of its
 * block; event ids are not secrets (the server only drops a repeated one). A random UUID per event was about a fifth
 * of the CPU of tracking and delivering it.
 * @example eventId() // '3b241101-e2bb-4255-8caf-4136c566a900', then '…a901'
 */
export function eventId(): string {
  if (used === 256) {
    block = uuidv4().slice(0, 34);
    used = 0;
  }
  return block + HEX[used++]!;
}
