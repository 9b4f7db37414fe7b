import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hasRemoteImages,
  hiddenImageClass,
  mailTextLimit,
  sanitizeMailHtml,
  shortenMailText,
  withoutRemoteImages,
} from './content.ts';

describe('images in HTML mail', () => {
  const mail =
    '<p>Hello</p><img src="https://images.example.org/logo.png" alt="Company logo">' +
    '<img src="https://images.example.org/banner.png">' +
    '<img src="http://plain.example.com/a.png" alt="Plain &lt;b&gt;x&lt;/b&gt;">' +
    '<img src="cid:part1" alt="Signature">' +
    '<img src="https://tracker.example.com/p.gif" width="1" height="1" alt="pixel">' +
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline">';

  it('leaves a visible placeholder with the alt text where an image is hidden, never its address', () => {
    const safe = sanitizeMailHtml(mail);
    // Images that can never be shown (http:, cid:) are placeholders from the start.
    expect(safe).toContain('>[image: Plain &lt;b&gt;x&lt;/b&gt;]</span>');
    expect(safe).toContain('>[image: Signature]</span>');
    expect(safe).not.toMatch(/plain\.example\.com|cid:/);
    // A tracking pixel vanishes altogether, even when images are loaded.
    expect(safe).not.toContain('tracker.example.com');
    expect(safe).not.toContain('pixel');
    expect(hasRemoteImages(safe)).toBe(true);

    const shown = withoutRemoteImages(safe);
    expect(shown).not.toContain('images.example.org');
    expect(shown).toContain(`<span class="${hiddenImageClass}"`);
    expect(shown).toContain('>[image: Company logo]</span>');
    expect(shown).toContain('>[image]</span>');
    expect(shown).toContain('data:image/png;base64');
    expect(hasRemoteImages(shown)).toBe(false);
  });

  it('keeps placeholders inert whatever the alt text or the markup around it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 }), (alt, around) => {
        const html = `${around}<img src="https://x.example/i.png" alt="${alt}">${around}`;
        const shown = withoutRemoteImages(sanitizeMailHtml(html));
        expect(shown).not.toMatch(/<script|<img[^>]*https:|\son\w+=|javascript:/i);
        expect(hasRemoteImages(shown)).toBe(false);
      }),
    );
  });

  it('does not let the mail forge a placeholder or other classes', () => {
    const safe = sanitizeMailHtml(`<span class="${hiddenImageClass} x other">[image: fake]</span>`);
    expect(safe).toBe('<span>[image: fake]</span>');
    expect(sanitizeMailHtml('<img alt="real">')).toBe(
      `<span class="${hiddenImageClass}" title="This image cannot be shown safely">[image: real]</span>`,
    );
    expect(sanitizeMailHtml('<p class="x">a</p>')).toBe('<p>a</p>');
  });
});

describe('a very long mail text', () => {
  it('is kept whole up to the limit', () => {
    const text = 'word '.repeat(100);
    expect(shortenMailText(text, 500)).toBe(text);
    expect(shortenMailText('', 10)).toBe('');
  });

  it('is cut at a line break or a space before the limit, with a note of what is missing and where', () => {
    const line = 'This is a long line of text that repeats itself.\n';
    const text = line.repeat(10_000);
    const short = shortenMailText(text, mailTextLimit);
    expect(short.length).toBeLessThanOrEqual(mailTextLimit);
    const [kept, note] = short.split('\n\n[… ');
    expect(kept!.endsWith('repeats itself.')).toBe(true);
    expect(text.startsWith(kept!)).toBe(true);
    const missing = (text.length - kept!.length).toLocaleString('en-US');
    expect(note).toBe(
      `The message was shortened here: ${missing} more characters are only in the original email. ` +
        'It is kept as received; an admin can download it as an .eml file from the inbound mail log.]',
    );
    const words = shortenMailText('lorem ipsum '.repeat(1000), 3000);
    expect(words).toMatch(/(lorem|ipsum)\n\n\[… The message was shortened here: [\d,]+ more characters/);
  });

  it('never exceeds the limit, never cuts a word when there is a space, and keeps a prefix of the text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-zé😀]{1,12}$/u), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(' ', '\n', ' \n'),
        fc.integer({ min: 400, max: 3000 }),
        (words, separator, limit) => {
          const text = words.join(separator);
          const short = shortenMailText(text, limit);
          expect(short.length).toBeLessThanOrEqual(limit);
          if (text.length <= limit) return void expect(short).toBe(text);
          const kept = short.slice(0, short.indexOf('\n\n[… The message was shortened here: '));
          expect(text.startsWith(kept)).toBe(true);
          // What follows the kept part in the original starts with white space: no word was cut.
          expect(text.slice(kept.length)).toMatch(/^\s/);
          expect(short).toContain(`${(text.length - kept.length).toLocaleString('en-US')} more characters`);
        },
      ),
    );
  });

  it('cuts a text without any space hard, but never inside an emoji', () => {
    const short = shortenMailText('😀'.repeat(2000), 1000);
    expect(short.length).toBeLessThanOrEqual(1000);
    const kept = short.slice(0, short.indexOf('\n\n'));
    expect(kept.length % 2).toBe(0);
    expect(/[\ud800-\udbff]$/.test(kept)).toBe(false);
  });
});
