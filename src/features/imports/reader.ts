import type { ImportFormat, ImportMapping, ImportPreset } from '../../shared/imports.ts';
import { CsvParser, type CsvRecord, type Delimiter, detectDelimiter } from './csv.ts';
import { decodeStream, type TextEncoding } from './decode.ts';
import { emptyDraft, type ImportDraft } from './draft.ts';
import { compileMapping, mapRow } from './mapping.ts';
import { detectPreset, suggestMapping } from './presets.ts';
import { VCardReader } from './vcard.ts';

/** More columns than this is refused: no one maps 10,000 columns, and the mapping screen could not show them. */
export const maxColumns = 1000;

export class FileProblem extends Error {}

export interface OpenedFile {
  format: ImportFormat;
  encoding: TextEncoding;
  delimiter: Delimiter | null;
  headers: string[];
  preset: ImportPreset | null;
  suggestedMapping: (string | null)[];
  /** CSV: the data records (after the header). vCard: the cards as drafts. */
  csvRecords: AsyncGenerator<CsvRecord> | null;
  cards: AsyncGenerator<ImportDraft> | null;
  vcardReader: VCardReader | null;
}

/**
 * Opens an uploaded file as a stream: finds its encoding, its format (vCard when it starts
 * with BEGIN:VCARD), the CSV delimiter and header row, and the preset of the headers.
 * Throws FileProblem when the file cannot be imported at all (empty, too many columns).
 */
export async function openImportFile(
  source: AsyncIterable<Uint8Array>,
  requestedFormat?: ImportFormat,
): Promise<OpenedFile> {
  const decoded = await decodeStream(source);
  const chunks = decoded.chunks;
  let first = '';
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    first += next.value;
    if (first.trim().length > 0) break;
  }
  if (first.trim() === '') throw new FileProblem('The file is empty.');
  const looksLikeVCard = /^\s*BEGIN:VCARD/i.test(first);
  const format = requestedFormat ?? (looksLikeVCard ? 'vcard' : 'csv');
  if (format === 'vcard') {
    if (!looksLikeVCard)
      throw new FileProblem('This is not a vCard file: it does not start with BEGIN:VCARD.');
    const reader = new VCardReader();
    async function* cards(): AsyncGenerator<ImportDraft> {
      yield* reader.push(first);
      for await (const text of chunks) yield* reader.push(text);
      yield* reader.end();
    }
    return {
      format,
      encoding: decoded.encoding,
      delimiter: null,
      headers: [],
      preset: null,
      suggestedMapping: [],
      csvRecords: null,
      cards: cards(),
      vcardReader: reader,
    };
  }
  const delimiter = detectDelimiter(first);
  const parser = new CsvParser(delimiter);
  async function* records(): AsyncGenerator<CsvRecord> {
    yield* parser.push(first);
    for await (const text of chunks) yield* parser.push(text);
    yield* parser.end();
  }
  const all = records();
  const header = await all.next();
  if (header.done) throw new FileProblem('The file is empty.');
  if (!header.value.fields) throw new FileProblem(`The header row cannot be read: ${header.value.error}`);
  const headers = header.value.fields.map((name) => name.trim());
  if (headers.length > maxColumns) {
    throw new FileProblem(
      `The file has ${headers.length} columns; at most ${maxColumns} can be imported. Remove the columns you do not need and upload it again.`,
    );
  }
  const preset = detectPreset(headers);
  return {
    format,
    encoding: decoded.encoding,
    delimiter,
    headers,
    preset,
    suggestedMapping: suggestMapping(headers, preset),
    csvRecords: all,
    cards: null,
    vcardReader: null,
  };
}

/** The drafts of an opened file; CSV rows are read through the mapping (the suggestion when none). */
export async function* draftsOf(file: OpenedFile, mapping?: ImportMapping): AsyncGenerator<ImportDraft> {
  if (file.cards) {
    yield* file.cards;
    return;
  }
  const { plan } = compileMapping(mapping ?? file.suggestedMapping, file.headers);
  for await (const record of file.csvRecords!) {
    if (record.error !== undefined) {
      const draft = emptyDraft(record.row);
      draft.error = record.error;
      yield draft;
      continue;
    }
    const draft = mapRow(record.fields, plan, record.row);
    if (record.fields.length > maxColumns)
      draft.error = `has ${record.fields.length} columns, more than ${maxColumns}.`;
    yield draft;
  }
}
