import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let sequence = 0;

// Random bytes are drawn 4 kB at a time (as crypto.randomUUID does): one randomBytes(16) per id
// cost ~10 µs, 4% of a create's server time.
const poolSize = 16 * 256;
const pool = Buffer.alloc(poolSize);
let poolOffset = poolSize;

function sixteenRandomBytes(): Buffer {
  if (poolOffset === poolSize) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + 16));
  poolOffset += 16;
  return bytes;
}

/**
 * UUIDv7: 48-bit millisecond timestamp, then random bits. Ids sort by creation time, so they
 * serve as keyset-pagination cursors. A 12-bit counter keeps ids made in the same millisecond
 * (in this process) in order, even past 4096 per millisecond or when the clock steps back.
 */
export function newId(): string {
  let now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else {
    // Same millisecond, or the clock stepped back: count on from the last id. When the counter
    // is used up, borrow the next millisecond, so ids never go out of order.
    sequence += 1;
    if (sequence > 0xfff) {
      lastMs += 1;
      sequence = 0;
    }
    now = lastMs;
  }
  const bytes = sixteenRandomBytes();
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
