/** Characters of a JSON number token. */
const isNumberChar = (code: number) =>
  (code >= 48 && code <= 57) || code === 45 || code === 43 || code === 46 || code === 69 || code === 101;
/** Integers JavaScript writes back exactly as written (up to 15 digits, no "-0"). */
const canonicalNumber = /^(0|-?[1-9]\d{0,14})$/;
/** Keys JavaScript objects order first (array indexes), whatever the order of the text. */
const indexKey = /^"(0|[1-9]\d{0,9})"$/;

/**
 * JSON text as written by the database (a space after each `:` and `,`, numbers as stored)
 * turned into what JSON.stringify(JSON.parse(text)) writes: the spaces outside strings dropped,
 * each number written as JavaScript writes it. Strings are escaped alike by both. An object
 * with an array-index key ("1") is reordered by JSON.parse: such a text goes through it.
 */
export function compactJson(text: string): string {
  let out = '';
  let start = 0;
  let index = 0;
  const length = text.length;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (code === 34) {
      // A string: to its closing quote (one not preceded by an odd number of backslashes).
      let end = text.indexOf('"', index + 1);
      for (;;) {
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 92) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (text.charCodeAt(end + 1) === 58) {
        const first = text.charCodeAt(index + 1);
        if (first >= 48 && first <= 57 && indexKey.test(text.slice(index, end + 1)))
          return JSON.stringify(JSON.parse(text));
      }
      index = end + 1;
    } else if (code === 32) {
      out += text.slice(start, index);
      start = ++index;
    } else if (code === 45 || (code >= 48 && code <= 57)) {
      let end = index + 1;
      while (end < length && isNumberChar(text.charCodeAt(end))) end++;
      const token = text.slice(index, end);
      if (!canonicalNumber.test(token)) {
        out += text.slice(start, index) + JSON.stringify(Number(token));
        start = end;
      }
      index = end;
    } else index++;
  }
  return start === 0 ? text : out + text.slice(start);
}
