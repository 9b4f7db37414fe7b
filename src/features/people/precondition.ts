import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';

/**
 * Optimistic concurrency: a write names the version it was based on, in the body (`version`)
 * or as `If-Match: "<version>"`; the current version is sent back as the ETag.
 */
export function requestedVersion(
  request: FastifyRequest,
  bodyVersion: number | undefined,
  required: boolean,
) {
  const header = request.headers['if-match'];
  let fromHeader: number | undefined;
  if (typeof header === 'string') {
    const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
    if (!match) {
      throw new AppError('validation_failed', 'headers.if-match: must be the ETag you read, such as "3".', {
        errors: [{ path: 'headers.if-match', message: 'must be the ETag you read, such as "3".' }],
      });
    }
    fromHeader = Number(match[1]);
  }
  if (bodyVersion !== undefined && fromHeader !== undefined && bodyVersion !== fromHeader) {
    throw new AppError('validation_failed', 'body.version and If-Match disagree; send one of them.', {
      errors: [{ path: 'body.version', message: 'differs from the If-Match header.' }],
    });
  }
  const version = bodyVersion ?? fromHeader;
  if (version === undefined && required) {
    const message =
      'is required: send the version you read (or an If-Match header), so that nobody else’s changes are overwritten.';
    throw new AppError('validation_failed', `body.version ${message}`, {
      errors: [{ path: 'body.version', message }],
    });
  }
  return version;
}

export function staleVersion(what: string, sent: number, current: number) {
  return new AppError(
    'conflict',
    `Someone else changed ${what} since you read it (you sent version ${sent}; it is now version ${current}). ` +
      'Reload it, apply your change again and save.',
  );
}

export function setEtag(reply: FastifyReply, version: number) {
  reply.header('ETag', `"${version}"`);
}

/** Soft-deleted rows can be restored for this long; afterwards the purge job removes them. */
export const restoreWindowDays = 30;
