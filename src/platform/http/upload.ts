import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

/**
 * Reads the multipart part named `file` into memory, refusing anything over `maxBytes` with 413.
 * `what` names the upload in messages ("the photo is larger than 10 MB").
 */
export async function readFileUpload(
  request: FastifyRequest,
  options: { what: string; maxBytes: number },
): Promise<Buffer> {
  if (!request.isMultipart?.()) {
    throw new AppError(
      'unsupported_media_type',
      `Send the ${options.what} as multipart/form-data with a part named "file".`,
    );
  }
  let part: Awaited<ReturnType<FastifyRequest['file']>>;
  try {
    part = await request.file({ limits: { fileSize: options.maxBytes, files: 1, fields: 5, parts: 6 } });
  } catch {
    throw new AppError('bad_request', 'The upload could not be read as multipart/form-data.');
  }
  if (part?.fieldname !== 'file') {
    throw new AppError('validation_failed', 'file: is required (a multipart part named "file").', {
      errors: [{ path: 'file', message: 'is required (a multipart part named "file").' }],
    });
  }
  const megabytes = Math.round(options.maxBytes / 1024 / 1024);
  const tooLarge = () =>
    new AppError(
      'payload_too_large',
      `file: the ${options.what} is larger than ${megabytes} MB; upload a smaller one.`,
    );
  let bytes: Buffer;
  try {
    bytes = await part.toBuffer();
  } catch (error) {
    if (part.file.truncated || (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw tooLarge();
    throw new AppError('bad_request', 'The upload was interrupted; try again.');
  }
  if (part.file.truncated) throw tooLarge();
  return bytes;
}
