import { describe, expect, test } from 'vitest';
import { ApiError } from '../../app/api.ts';
import { changedFields, errorAt, fieldErrors } from './draft.ts';

describe('changedFields', () => {
  test('only fields whose value differs; empty text counts as null', () => {
    const before = {
      givenName: 'Ana',
      jobTitle: null as string | null,
      tags: ['a'],
      emails: [{ value: 'a@x.io' }],
    };
    expect(changedFields(before, { ...before })).toEqual({});
    expect(changedFields(before, { ...before, jobTitle: '' })).toEqual({});
    expect(changedFields(before, { ...before, givenName: '' })).toEqual({ givenName: null });
    expect(changedFields(before, { ...before, tags: ['a', 'b'], jobTitle: 'CEO' })).toEqual({
      tags: ['a', 'b'],
      jobTitle: 'CEO',
    });
    expect(changedFields(before, { ...before, emails: [{ value: 'b@x.io' }] })).toEqual({
      emails: [{ value: 'b@x.io' }],
    });
  });
});

describe('field errors of a 422', () => {
  const error = new ApiError(422, 'unprocessable', 'Check the fields.', [
    { path: 'body.emails.1.value', message: '"x" is not an email address.' },
    { path: 'body.customFields.size', message: 'must be a number.' },
  ]);

  test('keyed by path without body., found by exact path or by prefix', () => {
    const errors = fieldErrors(error);
    expect(errors['emails.1.value']).toBe('"x" is not an email address.');
    expect(errorAt(errors, 'emails.1')).toBe('"x" is not an email address.');
    expect(errorAt(errors, 'emails.0')).toBeUndefined();
    expect(errorAt(errors, 'customFields.size')).toBe('must be a number.');
  });

  test('other errors carry no field problems', () => {
    expect(fieldErrors(new Error('boom'))).toEqual({});
  });
});
