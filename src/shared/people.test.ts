import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeDomain } from './organizations.ts';
import {
  cleanText,
  deriveDisplayName,
  emailKey,
  foldForSearch,
  isValidEmail,
  normalizePhone,
  normalizeTags,
  normalizeWebsite,
  withOnePrimary,
} from './people.ts';

const space = fc.constantFrom('', ' ', '  ', '\t', '\n', ' \u00a0');
const localPart = fc.stringMatching(/^[A-Za-z0-9_+-]{1,20}$/);
const host = fc
  .tuple(
    fc.array(fc.stringMatching(/^[A-Za-z0-9]{1,12}$/), { minLength: 1, maxLength: 3 }),
    fc.stringMatching(/^[A-Za-z]{2,6}$/),
  )
  .map(([labels, tld]) => [...labels, tld].join('.'));
const address = fc.tuple(localPart, host).map(([local, domain]) => `${local}@${domain}`);

describe('email keys', () => {
  it('are idempotent, trimmed and lower-cased (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.tuple(space, address, space).map((p) => p.join('')),
        ),
        (value) => {
          const key = emailKey(value);
          expect(emailKey(key)).toBe(key);
          expect(key).toBe(key.trim());
          expect(key).toBe(key.toLowerCase());
        },
      ),
    );
  });

  it('match any casing and surrounding spaces of a valid address (property)', () => {
    fc.assert(
      fc.property(space, address, space, fc.boolean(), (before, value, after, upper) => {
        const written = `${before}${upper ? value.toUpperCase() : value}${after}`;
        expect(isValidEmail(written)).toBe(true);
        expect(emailKey(written)).toBe(value.toLowerCase());
      }),
    );
  });

  it('accepts Unicode addresses and refuses obvious non-addresses', () => {
    expect(isValidEmail('zoë@exämple.fr')).toBe(true);
    expect(isValidEmail('用户@例子.广告')).toBe(true);
    for (const bad of ['', 'plain', 'a@b', '@example.com', 'a@@example.com', 'a b@example.com', 'é@x']) {
      expect(isValidEmail(bad), bad).toBe(false);
    }
  });
});

describe('phone normalization', () => {
  const numbers = [
    { region: 'US', national: ['415', '555', '0123'], e164: '+14155550123', country: '1' },
    { region: 'GB', national: ['020', '7946', '0958'], e164: '+442079460958', country: '44' },
    { region: 'FR', national: ['06', '12', '34', '56', '78'], e164: '+33612345678', country: '33' },
    { region: 'DE', national: ['030', '123', '4567'], e164: '+49301234567', country: '49' },
    { region: 'JP', national: ['03', '1234', '5678'], e164: '+81312345678', country: '81' },
  ];
  const separator = fc.constantFrom('', ' ', '-', '.', '  ', ' - ');

  it('gives the same E.164 for any formatting of a valid number (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...numbers),
        fc.array(separator, { minLength: 5, maxLength: 5 }),
        fc.boolean(),
        fc.boolean(),
        space,
        (number, seps, international, parens, pad) => {
          const groups = international
            ? [number.national[0]!.replace(/^0/, ''), ...number.national.slice(1)]
            : [...number.national];
          if (parens) groups[0] = `(${groups[0]})`;
          const body = groups
            .map((group, index) => (index === 0 ? group : `${seps[index]}${group}`))
            .join('');
          const written = international ? `+${number.country}${seps[0]}${body}` : body;
          const region = international ? 'US' : number.region;
          expect(normalizePhone(`${pad}${written}${pad}`, region)?.e164, `${written} (${region})`).toBe(
            number.e164,
          );
        },
      ),
    );
  });

  it('is idempotent: the E.164 form normalizes to itself in any region (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...numbers), fc.constantFrom('US', 'FR', 'JP', 'BR'), (number, region) => {
        expect(normalizePhone(number.e164, region)?.e164).toBe(number.e164);
      }),
    );
  });

  it('refuses what is not a phone number, whatever is typed (property)', () => {
    for (const bad of ['', '12', 'call me', '+1 123 456 7890', '000000000000000000']) {
      expect(normalizePhone(bad, 'US'), bad).toBeNull();
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (value) => {
        const result = normalizePhone(value, 'US');
        if (result) expect(result.e164).toMatch(/^\+[1-9]\d{6,14}$/);
      }),
    );
  });
});

describe('search folding', () => {
  it('is idempotent and lower-cases (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        const folded = foldForSearch(value);
        expect(foldForSearch(folded)).toBe(folded);
      }),
    );
  });

  it('removes accents but keeps CJK and Arabic letters', () => {
    expect(foldForSearch('  Zoë   ÅNGSTRÖM ')).toBe('zoe angstrom');
    expect(foldForSearch('Ｆｕｌｌ')).toBe('full');
    expect(foldForSearch('王小明')).toBe('王小明');
    expect(foldForSearch('مُحَمَّد')).toBe('محمد');
    expect(foldForSearch('김민수')).toBe('김민수');
  });
});

describe('other normalizers', () => {
  it('cleanText trims and maps blank to null, keeping Unicode exactly', () => {
    expect(cleanText('  Zoë  ')).toBe('Zoë');
    expect(cleanText('   ')).toBeNull();
    expect(cleanText(undefined)).toBeNull();
    const decomposed = 'Zoe\u0308';
    expect(cleanText(decomposed)).toBe(decomposed);
  });

  it('derives display names', () => {
    expect(deriveDisplayName({ givenName: 'Ada', familyName: 'Lovelace' })).toBe('Ada Lovelace');
    expect(deriveDisplayName({ givenName: '小明', familyName: '王' })).toBe('王小明');
    expect(deriveDisplayName({ givenName: 'Martin', familyName: 'King', suffix: 'Jr.' })).toBe(
      'Martin King Jr.',
    );
    expect(deriveDisplayName({ nickname: 'Ace' })).toBe('Ace');
    expect(deriveDisplayName({})).toBeNull();
  });

  it('keeps exactly one primary (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.boolean(), { nil: undefined }), { minLength: 1, maxLength: 8 }),
        (flags) => {
          const problems: { path: string; message: string }[] = [];
          const result = withOnePrimary(
            flags.map((primary) => ({ primary })),
            'body.emails',
            problems,
          );
          const marked = flags.filter((flag) => flag === true).length;
          expect(result.filter((item) => item.primary)).toHaveLength(1);
          expect(problems.length).toBe(marked > 1 ? 1 : 0);
          if (marked === 0) expect(result[0]!.primary).toBe(true);
        },
      ),
    );
  });

  it('normalizes tags, websites and domains', () => {
    expect(normalizeTags([' VIP ', 'vip', 'Early   Adopter', ''])).toEqual(['vip', 'early adopter']);
    expect(normalizeWebsite('example.com/about')).toBe('https://example.com/about');
    expect(normalizeWebsite('http://example.com')).toBe('http://example.com');
    expect(normalizeWebsite('javascript:alert(1)')).toBeNull();
    expect(normalizeWebsite('not a site')).toBeNull();
    expect(normalizeDomain('https://www.Example.COM:8080/path?q=1')).toBe('example.com');
    expect(normalizeDomain('mail@example.org')).toBe('example.org');
    expect(normalizeDomain('localhost')).toBeNull();
    expect(normalizeDomain('exa mple.com')).toBeNull();
  });

  it('normalizes a domain idempotently (property)', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const once = normalizeDomain(value);
        if (once !== null) expect(normalizeDomain(once)).toBe(once);
      }),
    );
  });
});
