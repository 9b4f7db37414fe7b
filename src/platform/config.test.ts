import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, publicUrl } from './config.ts';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('loadConfig', () => {
  it('has working defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      DATABASE_POOL_SIZE: 10,
      MAIL_FROM: 'Rapport <rapport@localhost>',
      BODY_LIMIT_BYTES: 1_048_576,
      SESSION_TTL_HOURS: 168,
      TRUST_PROXY: false,
      LOG_LEVEL: 'info',
      JOBS_ENABLED: true,
      JOBS_POLL_MS: 1000,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.dataDir).toBe(resolve('./data'));
    expect(publicUrl(config)).toBe('http://localhost:3000');
  });

  it('reads values, treating empty strings as unset', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://rapport@db/rapport',
      SMTP_URL: 'smtps://user:pass@mail.example.com:465',
      PUBLIC_URL: 'https://crm.example.com/',
      TRUST_PROXY: '1',
      JOBS_ENABLED: 'false',
      RAPPORT_DATA_DIR: '/var/lib/rapport',
      LOG_LEVEL: '',
    });
    expect(config).toMatchObject({ PORT: 8080, TRUST_PROXY: true, JOBS_ENABLED: false, LOG_LEVEL: 'info' });
    expect(config.dataDir).toBe('/var/lib/rapport');
    expect(publicUrl(config)).toBe('https://crm.example.com');
  });

  it('names the variable, the bad value and what is allowed', () => {
    const port = configError({ PORT: 'eighty' });
    expect(port.message).toContain('PORT="eighty"');
    expect(configError({ PORT: '70000' }).message).toMatch(/PORT="70000".*65535/);
    expect(configError({ PORT: '3.5' }).message).toContain('PORT');
    expect(configError({ PORT: '0x50' }).message).toContain('PORT="0x50"');
    expect(configError({ PORT: '1e3' }).message).toContain('PORT="1e3"');

    const database = configError({ DATABASE_URL: 'mysql://localhost/rapport' });
    expect(database.message).toContain(
      'DATABASE_URL="mysql://localhost/rapport": must start with postgres://',
    );
    const smtp = configError({ SMTP_URL: 'mail.example.com:25' });
    expect(smtp.message).toContain('SMTP_URL="mail.example.com:25": must start with smtp://');
    expect(configError({ PUBLIC_URL: 'crm' }).message).toContain('PUBLIC_URL="crm": must be a URL');
    expect(configError({ JOBS_ENABLED: 'yes' }).message).toContain('JOBS_ENABLED');
    expect(configError({ BODY_LIMIT_BYTES: '10' }).message).toContain('BODY_LIMIT_BYTES');
  });

  it('reports every bad variable at once', () => {
    const error = configError({ PORT: 'x', DATABASE_URL: 'sqlite:db', SMTP_URL: 'nope', LOG_LEVEL: 'loud' });
    for (const name of ['PORT', 'DATABASE_URL', 'SMTP_URL', 'LOG_LEVEL'])
      expect(error.message).toContain(`${name}=`);
  });

  it('accepts every valid port and refuses every non-numeric one (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65535 }), (port) => {
        expect(loadConfig({ PORT: String(port) }).PORT).toBe(port);
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z_-]{1,12}$/), (value) => {
        expect(configError({ PORT: value }).message).toContain(`PORT=${JSON.stringify(value)}`);
      }),
    );
  });
});
