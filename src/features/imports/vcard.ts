import type { FieldProblem } from '../../shared/people.ts';
import { emptyDraft, type ImportDraft } from './draft.ts';
import { cardToDraft } from './vcard-card.ts';

/** One content line of a card: `group.NAME;PARAM=value:value`, unfolded and not yet unescaped. */
export interface VCardProperty {
  group: string | null;
  name: string;
  params: Map<string, string[]>;
  value: string;
}

/**
 * A streaming vCard 2.1 / 3.0 / 4.0 reader: lines are unfolded (a leading space or tab
 * continues the previous line; quoted-printable soft breaks `=` at the end too), each card
 * becomes a draft person. A file that ends inside a card yields what the card had, with a
 * warning.
 */
export class VCardReader {
  private rest = '';
  private current: string | null = null;
  private card: VCardProperty[] | null = null;
  private cardLine = 0;
  private line = 0;
  private cards = 0;
  /** Content outside any card, reported once. */
  readonly problems: FieldProblem[] = [];

  get cardsSeen(): number {
    return this.cards;
  }

  push(text: string): ImportDraft[] {
    const out: ImportDraft[] = [];
    const data = this.rest + text;
    // A \r at the end may be the first half of \r\n: it stays with the rest.
    const cut = data.endsWith('\r') ? data.length - 1 : data.length;
    const lines = data.slice(0, cut).split(/\r\n|\n|\r/);
    this.rest = (lines.pop() ?? '') + data.slice(cut);
    for (const line of lines) this.physicalLine(line, out);
    return out;
  }

  end(): ImportDraft[] {
    const out: ImportDraft[] = [];
    if (this.rest) this.physicalLine(this.rest, out);
    this.rest = '';
    if (this.current !== null) this.logicalLine(this.current, out);
    this.current = null;
    if (this.card) {
      const draft = this.finish(this.card);
      draft.warnings.push('the file ends before END:VCARD; the card was imported as far as it goes.');
      out.push(draft);
      this.card = null;
    }
    return out;
  }

  private physicalLine(line: string, out: ImportDraft[]) {
    this.line++;
    if (this.current !== null) {
      if (line.startsWith(' ') || line.startsWith('\t')) {
        this.current += line.slice(1);
        return;
      }
      if (this.current.endsWith('=') && isQuotedPrintable(this.current)) {
        this.current = this.current.slice(0, -1) + line;
        return;
      }
      this.logicalLine(this.current, out);
    }
    this.current = line;
  }

  private logicalLine(line: string, out: ImportDraft[]) {
    if (line.trim() === '') return;
    const property = parseProperty(line);
    if (!property) {
      if (this.card) return; // a malformed line inside a card is skipped, like an unknown property
      this.outside(line);
      return;
    }
    if (property.name === 'BEGIN' && property.value.trim().toUpperCase() === 'VCARD') {
      if (this.card) {
        const draft = this.finish(this.card);
        draft.warnings.push('this card has no END:VCARD before the next card; imported as far as it goes.');
        out.push(draft);
      }
      this.card = [];
      this.cardLine = this.line;
      return;
    }
    if (property.name === 'END' && property.value.trim().toUpperCase() === 'VCARD') {
      if (this.card) out.push(this.finish(this.card));
      this.card = null;
      return;
    }
    if (this.card) this.card.push(property);
    else this.outside(line);
  }

  private outside(line: string) {
    if (this.problems.length === 0) {
      this.problems.push({
        path: `line ${this.line}`,
        message: `text outside BEGIN:VCARD … END:VCARD was ignored ("${line.slice(0, 40)}").`,
      });
    }
  }

  private finish(properties: VCardProperty[]): ImportDraft {
    this.cards++;
    try {
      return cardToDraft(properties, this.cards);
    } catch (error) {
      const draft = emptyDraft(this.cards);
      draft.error = `the card starting on line ${this.cardLine} could not be read: ${(error as Error).message}`;
      return draft;
    }
  }
}

function isQuotedPrintable(line: string): boolean {
  const colon = valueStart(line);
  return colon !== -1 && /QUOTED-PRINTABLE/i.test(line.slice(0, colon));
}

/** Index of the colon that ends the name and parameters (colons inside quoted parameters do not count). */
function valueStart(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '"') quoted = !quoted;
    else if (char === ':' && !quoted) return i;
  }
  return -1;
}

/** Splits on `separator` outside double quotes. */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (char === separator && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** RFC 6868: ^n newline, ^' double quote, ^^ caret. */
function decodeParam(value: string): string {
  let text = value;
  if (text.startsWith('"') && text.endsWith('"') && text.length >= 2) text = text.slice(1, -1);
  return text.replace(/\^(n|N|'|\^)/g, (_, code: string) => (code === "'" ? '"' : code === '^' ? '^' : '\n'));
}

export function parseProperty(line: string): VCardProperty | null {
  const colon = valueStart(line);
  if (colon <= 0) return null;
  const [nameWithGroup = '', ...rawParams] = splitOutsideQuotes(line.slice(0, colon), ';');
  const dot = nameWithGroup.lastIndexOf('.');
  const group = dot === -1 ? null : nameWithGroup.slice(0, dot);
  const name = nameWithGroup.slice(dot + 1).toUpperCase();
  if (!/^[A-Z0-9-]+$/.test(name)) return null;
  const params = new Map<string, string[]>();
  for (const raw of rawParams) {
    const equals = raw.indexOf('=');
    // vCard 2.1 writes bare types: TEL;CELL;PREF
    const key = equals === -1 ? 'TYPE' : raw.slice(0, equals).trim().toUpperCase();
    const valueText = equals === -1 ? raw : raw.slice(equals + 1);
    const values = splitOutsideQuotes(valueText, ',').map(decodeParam);
    params.set(key, [...(params.get(key) ?? []), ...values]);
  }
  return { group, name, params, value: line.slice(colon + 1) };
}

/** Undoes vCard text escaping: \n \N newline, \, \; \\ and \: as themselves. */
export function unescapeText(value: string): string {
  return value.replace(/\\([nN,;:\\])/g, (_, char: string) => (char === 'n' || char === 'N' ? '\n' : char));
}

export function escapeText(value: string): string {
  return value.replace(/[\\,;]/g, (char) => `\\${char}`).replace(/\r\n|\n|\r/g, '\\n');
}

/** Splits a structured value (N, ADR) on unescaped `separator`, then unescapes each part. */
export function splitStructured(value: string, separator: ';' | ',', unescapeParts = true): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (char === '\\' && i + 1 < value.length) {
      current += char + value[i + 1];
      i++;
    } else if (char === separator) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return unescapeParts ? parts.map(unescapeText) : parts;
}

/** Quoted-printable bytes, read in the given character set (UTF-8 when unknown). */
export function decodeQuotedPrintable(value: string, charset: string | undefined): string {
  const bytes: number[] = [];
  const text = value.replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(char, 'utf8'));
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(new Uint8Array(bytes));
}
