/**
 * A streaming CSV reader (RFC 4180 and what spreadsheets really write): quoted fields with
 * doubled quotes, CRLF or LF, newlines inside quotes, blank lines skipped. A broken quote
 * (never closed, or closed and followed by text across a line break) makes that record an
 * error and reading starts again on the line after the quote opened.
 */
export type Delimiter = ',' | ';' | '\t' | '|';
export const delimiters: readonly Delimiter[] = [',', ';', '\t', '|'];

export type CsvRecord =
  | { row: number; line: number; fields: string[]; error?: undefined }
  | { row: number; line: number; fields?: undefined; error: string };

/** A quoted field longer than this (characters) or spanning more lines is taken as a broken quote. */
export const maxQuotedChars = 1_000_000;
export const maxQuotedLines = 1_000;

type Parsed = { fields: string[]; end: number; lines: number } | { broken: number } | null;

export class CsvParser {
  private buf = '';
  private pos = 0;
  private line = 1;
  private row = 0;

  constructor(readonly delimiter: Delimiter) {}

  /** Feeds more text; returns the records completed by it. */
  push(text: string): CsvRecord[] {
    this.buf = this.buf.slice(this.pos) + text;
    this.pos = 0;
    return this.drain(false);
  }

  /** The end of the input: returns the last records. */
  end(): CsvRecord[] {
    const out = this.drain(true);
    this.buf = '';
    this.pos = 0;
    return out;
  }

  private drain(final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    while (this.pos < this.buf.length) {
      const char = this.buf[this.pos];
      if (char === '\n' || char === '\r') {
        // A blank line.
        if (char === '\r' && this.pos + 1 >= this.buf.length && !final) break;
        this.pos += char === '\r' && this.buf[this.pos + 1] === '\n' ? 2 : 1;
        this.line++;
        continue;
      }
      const parsed = this.parseRecord(final);
      if (parsed === null) break;
      this.row++;
      if ('broken' in parsed) {
        const quoteLine = this.line + countNewlines(this.buf, this.pos, parsed.broken);
        out.push({
          row: this.row,
          line: this.line,
          error: `a quoted field opened on line ${quoteLine} is never closed properly; this row was skipped (check the quotes on that line).`,
        });
        const nextLine = this.buf.indexOf('\n', parsed.broken);
        this.line = quoteLine + 1;
        this.pos = nextLine === -1 ? this.buf.length : nextLine + 1;
        continue;
      }
      out.push({ row: this.row, line: this.line, fields: parsed.fields });
      this.line += parsed.lines + 1;
      this.pos = parsed.end;
    }
    return out;
  }

  /** One record from `pos`; null when more text is needed to finish it. */
  private parseRecord(final: boolean): Parsed {
    const { buf, delimiter } = this;
    const length = buf.length;
    const fields: string[] = [];
    let lines = 0;
    let i = this.pos;
    for (;;) {
      let value: string;
      if (buf[i] === '"') {
        const open = i;
        let j = i + 1;
        let inner = '';
        for (;;) {
          const close = buf.indexOf('"', j);
          if (close === -1) {
            if (final || length - open > maxQuotedChars) return { broken: open };
            return null;
          }
          inner += buf.slice(j, close);
          if (close + 1 >= length && !final) return null;
          if (buf[close + 1] === '"') {
            inner += '"';
            j = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        const innerLines = countNewlines(inner, 0, inner.length);
        if (innerLines > maxQuotedLines || inner.length > maxQuotedChars) return { broken: open };
        const after = buf[i];
        if (i < length && after !== delimiter && after !== '\n' && after !== '\r') {
          // Text after a closing quote: harmless on one line ("a"b), a broken quote across lines.
          if (innerLines > 0) return { broken: open };
          const stop = nextStop(buf, i, delimiter);
          if (stop === -1 && !final) return null;
          const end = stop === -1 ? length : stop;
          inner += `"${buf.slice(i, end)}`;
          i = end;
        }
        lines += innerLines;
        value = inner;
      } else {
        const stop = nextStop(buf, i, delimiter);
        if (stop === -1) {
          if (!final) return null;
          value = buf.slice(i);
          i = length;
        } else {
          value = buf.slice(i, stop);
          i = stop;
        }
      }
      fields.push(value);
      if (i >= length) {
        if (!final) return null;
        return { fields, end: i, lines };
      }
      const char = buf[i];
      if (char === delimiter) {
        i++;
        if (i >= length) {
          if (!final) return null;
          fields.push('');
          return { fields, end: i, lines };
        }
        continue;
      }
      if (char === '\r') {
        if (i + 1 >= length && !final) return null;
        return { fields, end: buf[i + 1] === '\n' ? i + 2 : i + 1, lines };
      }
      return { fields, end: i + 1, lines };
    }
  }
}

function nextStop(buf: string, from: number, delimiter: string): number {
  for (let i = from; i < buf.length; i++) {
    const char = buf[i];
    if (char === delimiter || char === '\n' || char === '\r') return i;
  }
  return -1;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * The delimiter that splits the first records of `sample` into the same number (≥ 2) of
 * fields most consistently; a comma when nothing fits.
 */
export function detectDelimiter(sample: string): Delimiter {
  const head = sample.slice(0, 64 * 1024);
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const delimiter of delimiters) {
    const parser = new CsvParser(delimiter);
    let records = parser.push(head);
    if (records.length === 0) records = parser.end();
    const counts = records
      .slice(0, 20)
      .filter((record) => record.fields)
      .map((record) => record.fields?.length ?? 0);
    const first = counts[0] ?? 0;
    if (first < 2) continue;
    const score = counts.filter((count) => count === first).length * 10_000 + first;
    if (score > bestScore) {
      bestScore = score;
      best = delimiter;
    }
  }
  return best;
}

/** One CSV field, quoted when it must be. */
export function csvField(value: string, delimiter: Delimiter = ','): string {
  if (value.includes('"') || value.includes(delimiter) || value.includes('\n') || value.includes('\r')) {
    return `"${value.replaceAll('"', '""')}"`;
  }
  return value;
}

/** One CSV line, CRLF-terminated. A lone empty field is written "" so the line is not blank. */
export function csvLine(fields: readonly string[], delimiter: Delimiter = ','): string {
  if (fields.length === 1 && fields[0] === '') return '""\r\n';
  return `${fields.map((field) => csvField(field, delimiter)).join(delimiter)}\r\n`;
}

export function formatCsv(rows: readonly (readonly string[])[], delimiter: Delimiter = ','): string {
  return rows.map((row) => csvLine(row, delimiter)).join('');
}
