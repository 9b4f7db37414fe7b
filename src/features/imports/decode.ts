/**
 * Text encoding of an uploaded file, found from its first bytes: a BOM (UTF-8, UTF-16 LE/BE),
 * else UTF-16 without BOM when every other byte of ASCII text is zero, else UTF-8 when the
 * sample is valid UTF-8, else Windows-1252 (what Excel and Outlook write on Western Windows).
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** How many bytes are looked at to choose the encoding. */
export const sniffBytes = 256 * 1024;

export function detectEncoding(
  sample: Uint8Array,
  complete: boolean,
): { encoding: TextEncoding; bom: number } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  const pairs = Math.min(256, Math.floor(sample.length / 2));
  if (pairs >= 2) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < pairs; i++) {
      if (sample[2 * i] === 0) evenZero++;
      if (sample[2 * i + 1] === 0) oddZero++;
    }
    if (oddZero > pairs * 0.7 && evenZero === 0) return { encoding: 'utf-16le', bom: 0 };
    if (evenZero > pairs * 0.7 && oddZero === 0) return { encoding: 'utf-16be', bom: 0 };
  }
  return { encoding: isUtf8(sample, complete) ? 'utf-8' : 'windows-1252', bom: 0 };
}

/** Valid UTF-8; when the sample is cut off, a multi-byte character cut at its end still counts as valid. */
function isUtf8(bytes: Uint8Array, complete: boolean): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    decoder.decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

export interface DecodedText {
  encoding: TextEncoding;
  /** The text, in pieces, as the bytes arrive. */
  chunks: AsyncGenerator<string>;
}

/**
 * Decodes a stream of bytes without holding it whole: the first `sniffBytes` choose the
 * encoding, then every chunk is decoded as it comes (multi-byte characters split across
 * chunks are handled by the streaming decoder).
 */
export async function decodeStream(source: AsyncIterable<Uint8Array>): Promise<DecodedText> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headLength = 0;
  let done = false;
  while (headLength < sniffBytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headLength += next.value.length;
  }
  const sample = concat(head, headLength);
  const { encoding, bom } = detectEncoding(sample, done);
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  async function* chunks(): AsyncGenerator<string> {
    const first = decoder.decode(sample.subarray(bom), { stream: true });
    if (first) yield first;
    if (!done) {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        const text = decoder.decode(next.value, { stream: true });
        if (text) yield text;
      }
    }
    const last = decoder.decode();
    if (last) yield last;
  }
  return { encoding, chunks: chunks() };
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
