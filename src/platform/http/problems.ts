import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError, type FieldError } from '../errors.ts';

export function zodErrors(error: z.ZodError, prefix: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return { path, message: `Unknown field(s): ${issue.keys.join(', ')}. Remove them.` };
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return { path, message: 'is required.' };
    }
    return { path, message: issue.message };
  });
}

export function validationError(errors: FieldError[]): AppError {
  const summary = errors.map((error) => `${error.path}: ${error.message}`).join('; ');
  return new AppError('validation_failed', `The request is not valid. ${summary}`, { errors });
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  if (error.details.retryAfterSeconds) reply.header('Retry-After', String(error.details.retryAfterSeconds));
  return reply
    .status(error.status)
    .type('application/problem+json')
    .send({
      type: `urn:rapport:problem:${error.code}`,
      title: error.code.replaceAll('_', ' '),
      status: error.status,
      detail: error.message,
      code: error.code,
      ...(error.details.errors ? { errors: error.details.errors } : {}),
      instance: request.url.split('?')[0],
      requestId: request.id,
    });
}

/** Turns anything thrown into a problem document; only genuine bugs become 500s (and are logged). */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode ?? 500;
  if (status === 413 || fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new AppError(
      'payload_too_large',
      'The request body is too large. The limit is set by BODY_LIMIT_BYTES.',
    );
  }
  if (status === 415) {
    return new AppError('unsupported_media_type', 'Send the request body as application/json.');
  }
  if (fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return new AppError('bad_request', 'The request says it has a JSON body but the body is empty.');
  }
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return new AppError('bad_request', `The request body is not valid JSON: ${fastifyError.message}`);
  }
  if (status >= 400 && status < 500) return new AppError('bad_request', fastifyError.message);
  return new AppError('internal', 'Something went wrong on our side. It has been logged; please try again.');
}
