import { z } from 'zod';

/** A short list of the most common passwords of 10+ characters (from public breach top lists). */
const commonPasswords = new Set([
  '1234567890',
  '12345678910',
  '123456789a',
  '0123456789',
  '0987654321',
  '1q2w3e4r5t',
  'qwertyuiop',
  'password123',
  'password1234',
  'passw0rd123',
  'iloveyou123',
  'qwerty12345',
  'qwerty123456',
  'abcdefghij',
  'abc1234567',
  '1qaz2wsx3edc',
  'q1w2e3r4t5',
  'aaaaaaaaaa',
  '1111111111',
  '0000000000',
  'letmein123',
  'welcome123',
  'administrator',
  'changeme123',
  'football123',
  'baseball123',
  'sunshine123',
  'princess123',
  'dragon1234',
  'monkey1234',
  'superman123',
  'trustno1234',
  'starwars123',
  'zaq12wsxcde',
  'asdfghjkl1',
  'passwordpassword',
  'rapportrapport',
]);

export const passwordSchema = z
  .string()
  .min(10, 'Password must be at least 10 characters long.')
  .max(200, 'Password must be at most 200 characters long.')
  .refine((value) => !commonPasswords.has(value.toLowerCase()), {
    message: 'This password is one of the most common ones; choose another.',
  });
