import { resolve } from 'node:path';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** Every environment variable Rapport reads, with what is allowed. The README lists the same. */
const configSchema = z.object({
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number from 0 to 65535')
    .transform(Number)
    .pipe(z.number().max(65535, 'must be a port number from 0 to 65535'))
    .default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  RAPPORT_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PUBLIC_URL: z.url({ message: 'must be a URL such as https://crm.example.com' }).optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Rapport <rapport@localhost>'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(8760).default(168),
  TRUST_PROXY: booleanFlag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JOBS_ENABLED: booleanFlag.default(true),
  INBOUND_SMTP_PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number from 0 to 65535')
    .transform(Number)
    .pipe(z.number().max(65535, 'must be a port number from 0 to 65535'))
    .optional(),
  INBOUND_SMTP_HOST: z.string().min(1).default('0.0.0.0'),
  INBOUND_MAIL_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a domain such as support.example.com')
    .optional(),
  INBOUND_MAX_BYTES: z.coerce.number().int().min(10_000).max(100_000_000).default(10_000_000),
  JOBS_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  PORTAL_SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Sign-in links asked for per email and per IP address, each per hour. */
  PORTAL_LINKS_PER_EMAIL: z.coerce.number().int().min(1).max(1000).default(5),
  PORTAL_LINKS_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** Items, messages, comments and intents a customer may submit per hour. */
  PORTAL_SUBMISSIONS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(30),
});

export type EnvConfig = z.infer<typeof configSchema>;
export interface Config extends EnvConfig {
  dataDir: string;
}

export class ConfigError extends Error {}

/** Reads and validates the environment once. A bad value names the variable and what is allowed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return `  ${name}=${JSON.stringify(present[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.RAPPORT_DATA_DIR) };
}

/**
 * The base URL used in links sent by email: PUBLIC_URL, else the address the request came to,
 * else localhost and the configured port.
 */
export function publicUrl(config: Config, requestOrigin?: string): string {
  return (config.PUBLIC_URL ?? requestOrigin ?? `http://localhost:${config.PORT}`).replace(/\/$/, '');
}
