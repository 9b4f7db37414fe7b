import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { email } from './common.ts';
import { passwordSchema } from './passwords.ts';

const localPart = fc.stringMatching(/^[A-Za-z0-9_+-]{1,20}$/);
const domain = fc
  .tuple(
    fc.array(fc.stringMatching(/^[A-Za-z0-9]{1,12}$/), { minLength: 1, maxLength: 3 }),
    fc.stringMatching(/^[A-Za-z]{2,6}$/),
  )
  .map(([labels, tld]) => [...labels, tld].join('.'));
const space = fc.constantFrom('', ' ', '  ', '\t', '\n', ' \u00a0');
const address = fc.tuple(localPart, domain).map(([local, host]) => `${local}@${host}`);

describe('email normaliser', () => {
  it('trims and lowercases any valid address (property)', () => {
    fc.assert(
      fc.property(space, address, space, (before, value, after) => {
        expect(email.parse(`${before}${value}${after}`)).toBe(value.toLowerCase());
      }),
    );
  });

  it('is idempotent: normalising twice gives the same as once (property)', () => {
    const candidates = fc.oneof(
      fc.string(),
      fc.tuple(space, address, space).map((parts) => parts.join('')),
      fc.tuple(fc.string({ unit: 'grapheme' }), address).map(([junk, value]) => `${junk}${value}`),
    );
    fc.assert(
      fc.property(candidates, (input) => {
        const once = email.safeParse(input);
        if (!once.success) return;
        expect(email.parse(once.data)).toBe(once.data);
        expect(once.data).toBe(once.data.trim().toLowerCase());
      }),
    );
  });

  it('refuses strings without an @ (property)', () => {
    fc.assert(
      fc.property(
        fc.string().filter((value) => !value.includes('@')),
        (value) => {
          expect(email.safeParse(value).success).toBe(false);
        },
      ),
    );
  });
});

describe('password rule', () => {
  it('refuses every password shorter than 10 characters, whatever the characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 9 }), (password) => {
        expect(passwordSchema.safeParse(password).success).toBe(false);
      }),
    );
  });

  it('accepts long passwords that are not common ones (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 10, maxLength: 100 }), (password) => {
        fc.pre(new Set(password.toLowerCase()).size > 2);
        expect(passwordSchema.safeParse(password).success).toBe(true);
      }),
    );
  });

  it('refuses common passwords in any letter case', () => {
    for (const password of ['password123', 'PassWord123', 'QWERTYUIOP', 'rapportrapport']) {
      const result = passwordSchema.safeParse(password);
      expect(result.success, password).toBe(false);
      expect(result.error?.issues[0]?.message).toContain('most common');
    }
  });
});
