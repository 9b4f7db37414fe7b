import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser, type Delimiter, delimiters, detectDelimiter, formatCsv } from './csv.ts';
import { decodeStream, detectEncoding } from './decode.ts';

function parseAll(text: string, delimiter: Delimiter = ',', chunkSize = text.length || 1) {
  const parser = new CsvParser(delimiter);
  const out = [];
  for (let i = 0; i < text.length; i += chunkSize) out.push(...parser.push(text.slice(i, i + chunkSize)));
  out.push(...parser.end());
  return out;
}

const rows = (text: string, delimiter: Delimiter = ',') =>
  parseAll(text, delimiter).map((record) => record.fields ?? record.error);

describe('CSV parser', () => {
  it('reads quotes, doubled quotes, CRLF and LF, newlines inside quotes', () => {
    expect(rows('a,b\r\n"x, y","say ""hi"""\n"multi\nline",z')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['multi\nline', 'z'],
    ]);
  });

  it('skips blank lines, keeps empty fields and a trailing empty field', () => {
    expect(rows('a,b\n\n\r\n,\nx,\n')).toEqual([
      ['a', 'b'],
      ['', ''],
      ['x', ''],
    ]);
  });

  it('numbers records from the header and tracks lines across embedded newlines', () => {
    const records = parseAll('h1,h2\n"a\nb",c\nd,e\n');
    expect(records.map((record) => [record.row, record.line])).toEqual([
      [1, 1],
      [2, 2],
      [3, 4],
    ]);
  });

  it('reports a broken quote as a row error and goes on with the next line', () => {
    const records = parseAll(
      'name,email\nJane,"Doe,jane@example.com\nJohn,"Smith, Jr",john@example.com\nAna,ana@example.com\n',
    );
    expect(records[1]?.error).toMatch(/line 2 is never closed/);
    expect(records.slice(2).map((record) => record.fields)).toEqual([
      ['John', 'Smith, Jr', 'john@example.com'],
      ['Ana', 'ana@example.com'],
    ]);
  });

  it('reports a quote left open at the end of the file and keeps the rows before it', () => {
    const records = parseAll('a,b\n1,2\n3,"4\n5,6');
    expect(records.map((record) => record.fields ?? 'error')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      'error',
      ['5', '6'],
    ]);
  });

  it('takes text after a closing quote on one line literally', () => {
    expect(rows('"a"b,c')).toEqual([['a"b', 'c']]);
  });

  it('gives the same records whatever the chunk size', () => {
    const text = 'a;b;c\r\n"1;\r\n2";"3""";4\r\n5;6;7';
    const whole = parseAll(text, ';');
    for (const size of [1, 2, 3, 7]) expect(parseAll(text, ';', size)).toEqual(whole);
  });

  it('handles 10,000 columns', () => {
    const header = Array.from({ length: 10_000 }, (_, i) => `c${i}`);
    expect(rows(`${header.join(',')}\n`)[0]).toHaveLength(10_000);
  });

  it('detects the delimiter', () => {
    expect(detectDelimiter('a;b;c\n1;2;3\n')).toBe(';');
    expect(detectDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(detectDelimiter('a|b|c\n1|2|3')).toBe('|');
    expect(detectDelimiter('name,note\n"x","a;b;c"\n')).toBe(',');
    expect(detectDelimiter('single\nvalue\n')).toBe(',');
  });

  it('parse(format(rows)) == rows, for every delimiter and chunk size', () => {
    const field = fc.string({
      unit: fc.constantFrom('a', 'é', '"', ',', ';', '\t', '|', '\n', '\r', ' ', '中', 'x'),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 6 }), { maxLength: 8 }),
        fc.constantFrom(...delimiters),
        fc.integer({ min: 1, max: 9 }),
        (table, delimiter, chunk) => {
          const text = formatCsv(table, delimiter);
          expect(parseAll(text, delimiter, chunk).map((record) => record.fields)).toEqual(table);
        },
      ),
      { numRuns: 300 },
    );
  });
});

async function decode(bytes: Uint8Array, chunk = 3) {
  async function* source() {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  const decoded = await decodeStream(source());
  let text = '';
  for await (const part of decoded.chunks) text += part;
  return { encoding: decoded.encoding, text };
}

describe('encoding detection', () => {
  it('reads UTF-8 with and without BOM, UTF-16 LE/BE with BOM, and Windows-1252', async () => {
    const text = 'Zoë,Renée\n';
    const utf8 = Buffer.from(text, 'utf8');
    expect(await decode(utf8)).toEqual({ encoding: 'utf-8', text });
    expect(await decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]))).toEqual({
      encoding: 'utf-8',
      text,
    });
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(await decode(le)).toEqual({ encoding: 'utf-16le', text });
    const be = Buffer.from(le);
    be.swap16();
    expect(await decode(be)).toEqual({ encoding: 'utf-16be', text });
    expect(await decode(Buffer.from(text, 'latin1'))).toEqual({ encoding: 'windows-1252', text });
  });

  it('treats ASCII text as UTF-8 and a sample cut inside a character as valid UTF-8', () => {
    expect(detectEncoding(Buffer.from('abc'), true).encoding).toBe('utf-8');
    expect(detectEncoding(Buffer.from('abcé').subarray(0, 4), false).encoding).toBe('utf-8');
    expect(detectEncoding(Buffer.from('abcé').subarray(0, 4), true).encoding).toBe('windows-1252');
  });

  it('property: any text survives UTF-8 and UTF-16 round trips in any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', minLength: 1 }),
        fc.integer({ min: 1, max: 5 }),
        async (text, chunk) => {
          const withBom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
          expect((await decode(withBom, chunk)).text).toBe(text);
          const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
          expect((await decode(utf8, chunk)).text).toBe(text);
        },
      ),
      { numRuns: 100 },
    );
  });
});
