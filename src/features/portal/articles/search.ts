import { type Expression, type SqlBool, sql } from 'kysely';
import { AppError } from '../../../platform/errors.ts';
import { isCursorText, isCursorTime } from '../../../platform/http/pagination.ts';
import { markdownToText } from '../../../shared/markdown.ts';

/** The words of a search, lower-cased letters and digits only (so they are safe inside to_tsquery). */
export function searchWords(q: string, max = 12): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, max);
}

/**
 * `word1 & word2 & last:*` — every word, the last one also as a prefix, so that a search typed
 * halfway ("refu") already finds "refund". Words are letters and digits only, quoted.
 */
export function prefixTsQuery(words: string[]): string {
  return words.map((word, index) => `'${word}'${index === words.length - 1 ? ':*' : ''}`).join(' & ');
}

/** Words too common to tell articles apart when any word may match. */
const commonWords = new Set(
  (
    'the and for are but not you your yours with this that these those have has had was were will would can ' +
    'could should from they them their there what when where which who why how all any our out about into ' +
    'just like also some been being does did doing than then too very get got its hello please thanks ' +
    'thank want need help question'
  ).split(' '),
);

/**
 * Full-text match and rank over kb_articles.search (title weighted A, body B).
 * - `all` (a search box): the search as a web search (quotes, or, -word), or every word with the
 *   last one a prefix ("refu" → refund).
 * - `any` (suggestions while a customer writes a long text): articles with any of the telling
 *   words, the most matching first; short and common words are left out.
 */
export function articleSearch(q: string, mode: 'all' | 'any' = 'all', column = 'a.search') {
  const search = sql.ref(column);
  if (mode === 'any') {
    const words = [
      ...new Set(searchWords(q, 40).filter((word) => word.length >= 3 && !commonWords.has(word))),
    ].slice(0, 16);
    if (words.length === 0) return null;
    const any = sql`to_tsquery('simple', ${words.map((word, index) => `'${word}'${index === words.length - 1 ? ':*' : ''}`).join(' | ')})`;
    return {
      words,
      where: sql<SqlBool>`${search} @@ ${any}` as Expression<SqlBool>,
      rank: sql<number>`ts_rank(${search}, ${any})`,
    };
  }
  const words = searchWords(q);
  if (words.length === 0) return null;
  const web = sql`websearch_to_tsquery('simple', ${q})`;
  const prefix = sql`to_tsquery('simple', ${prefixTsQuery(words)})`;
  return {
    words,
    where: sql<SqlBool>`(${search} @@ ${web} or ${search} @@ ${prefix})` as Expression<SqlBool>,
    rank: sql<number>`(ts_rank(${search}, ${web}) + ts_rank(${search}, ${prefix}))`,
  };
}

/** About 200 characters of plain text around the first searched word, else the start. */
export function snippetOf(body: string, words: string[] = []): string {
  const text = markdownToText(body);
  const lower = text.toLowerCase();
  let at = -1;
  for (const word of words) {
    const found = lower.indexOf(word);
    if (found >= 0 && (at < 0 || found < at)) at = found;
  }
  const start = at < 80 ? 0 : text.lastIndexOf(' ', at - 60) + 1;
  const end = start + 200;
  const piece = text.slice(start, end);
  return `${start > 0 ? '…' : ''}${piece}${text.length > end ? '…' : ''}`;
}

/** Opaque keyset cursors: base64url of a JSON tuple. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(after: string, shape: ('string' | 'date' | 'uuid')[]): string[] {
  const bad = () => {
    const message = 'must be the `next` value of a previous page of this list.';
    return new AppError('validation_failed', `query.after: ${message}`, {
      errors: [{ path: 'query.after', message }],
    });
  };
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(values) || values.length !== shape.length) throw bad();
  return values.map((value, index) => {
    if (!isCursorText(value)) throw bad();
    const kind = shape[index];
    if (kind === 'uuid' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value))
      throw bad();
    if (kind === 'date' && !isCursorTime(value)) throw bad();
    return value;
  });
}
