import { describe, expect, it } from 'vitest';
import { fieldLabel, rowProblemText } from './validate.ts';

describe('row problems in words', () => {
  it('names fields as the person sees them, not as JSON paths', () => {
    expect(fieldLabel('emails.0.value')).toBe('Email 1');
    expect(fieldLabel('body.phones.2.value')).toBe('Phone 3');
    expect(fieldLabel('givenName')).toBe('Given name');
    expect(fieldLabel('customFields.books_written')).toBe('books_written');
    expect(fieldLabel('')).toBe('Row');
  });

  it('joins problems into one sentence without doubled stops', () => {
    expect(
      rowProblemText([
        { path: 'emails.0.value', message: '"foo@@bar" is not an email address (such as ana@example.com).' },
        { path: 'phones.0.value', message: '"12" is not a phone number.' },
      ]),
    ).toBe(
      'Email 1: "foo@@bar" is not an email address (such as ana@example.com); Phone 1: "12" is not a phone number.',
    );
  });
});
