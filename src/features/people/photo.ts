import type { FastifyRequest } from 'fastify';
import { Jimp } from 'jimp';
import { sql } from 'kysely';
import { audit } from '../../platform/audit.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import { readFileUpload } from '../../platform/http/upload.ts';
import type { Person } from '../../shared/people.ts';
import { findPerson, personOutput } from './queries.ts';

export const maxPhotoBytes = 10 * 1024 * 1024;
/** Decoding takes 4 bytes a pixel: a small file claiming huge dimensions is refused before that. */
const maxPixels = 40_000_000;

const unreadable = (why: string) =>
  new AppError('unprocessable', `file: not an image we can read (${why}). Upload a JPEG, PNG or GIF.`, {
    errors: [{ path: 'file', message: `not an image we can read (${why}).` }],
  });

type Format = 'jpeg' | 'png' | 'gif';

/** The image format by its first bytes (the file name and declared type are not trusted). */
export function sniffImage(bytes: Buffer): Format | 'webp' | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  if (/^GIF8[79]a/.test(bytes.subarray(0, 6).toString('latin1'))) return 'gif';
  if (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'webp';
  return null;
}

/** Width and height from the header, without decoding; null when the header is cut short. */
export function imageSize(bytes: Buffer, format: Format): { width: number; height: number } | null {
  if (format === 'png') {
    return bytes.length >= 24 ? { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) } : null;
  }
  if (format === 'gif') {
    return bytes.length >= 10 ? { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) } : null;
  }
  // JPEG: walk the segments up to the frame header (SOF0..SOF15 except DHT, JPG and DAC).
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const length = bytes.readUInt16BE(offset + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    }
    offset += 2 + length;
  }
  return null;
}

/** Reads the multipart `file` part into memory (at most 10 MB). */
export function readPhotoUpload(request: FastifyRequest): Promise<Buffer> {
  return readFileUpload(request, { what: 'photo', maxBytes: maxPhotoBytes });
}

/** A 256×256 and a 64×64 JPEG, cropped to fill (cover), from any JPEG, PNG or GIF. */
export async function resizePhoto(bytes: Buffer): Promise<{ image: Buffer; thumbnail: Buffer }> {
  const format = sniffImage(bytes);
  if (format === 'webp') throw unreadable('WebP is not supported');
  if (!format) throw unreadable('this is not a JPEG, PNG or GIF file');
  const size = imageSize(bytes, format);
  if (!size || size.width === 0 || size.height === 0) throw unreadable('the image header is damaged');
  if (size.width * size.height > maxPixels)
    throw unreadable(`${size.width}×${size.height} pixels is too large`);
  let decoded: Awaited<ReturnType<typeof Jimp.read>>;
  try {
    decoded = await Jimp.read(bytes);
  } catch {
    throw unreadable('the image data is damaged');
  }
  const image = await decoded.cover({ w: 256, h: 256 }).getBuffer('image/jpeg', { quality: 85 });
  const thumbnail = await decoded.resize({ w: 64, h: 64 }).getBuffer('image/jpeg', { quality: 80 });
  return { image, thumbnail };
}

export async function setPersonPhoto(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  upload: Buffer,
): Promise<Person> {
  // Decode before the transaction: no row lock is held while the CPU works.
  const { image, thumbnail } = await resizePhoto(upload);
  return ctx.deps.db.transaction().execute(async (tx) => {
    const row = await findPerson(tx, auth.workspaceId, id, true);
    if (!row) throw notFound('The person');
    await tx
      .insertInto('person_photos')
      .values({ person_id: id, workspace_id: auth.workspaceId, image, thumbnail })
      .onConflict((conflict) =>
        conflict.column('person_id').doUpdateSet({ image, thumbnail, updated_at: new Date() }),
      )
      .execute();
    await tx
      .updateTable('people')
      .set({
        photo_version: sql<number>`coalesce(photo_version, 0) + 1`,
        version: sql<number>`version + 1`,
        updated_at: new Date(),
      })
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', id)
      .execute();
    const after = personOutput((await findPerson(tx, auth.workspaceId, id))!);
    await audit(tx, auditContext(ctx), {
      action: 'person.photo_set',
      entity: 'person',
      entityId: id,
      before: { photoUrl: personOutput(row).photoUrl },
      after: { photoUrl: after.photoUrl, bytes: image.length },
    });
    return after;
  });
}

export async function deletePersonPhoto(ctx: RequestContext, auth: Auth, id: string): Promise<void> {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const row = await findPerson(tx, auth.workspaceId, id, true);
    if (!row) throw notFound('The person');
    if (row.photo_version === null) throw notFound('The photo of this person');
    await tx
      .deleteFrom('person_photos')
      .where('workspace_id', '=', auth.workspaceId)
      .where('person_id', '=', id)
      .execute();
    await tx
      .updateTable('people')
      .set({ photo_version: null, version: sql<number>`version + 1`, updated_at: new Date() })
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', id)
      .execute();
    await audit(tx, auditContext(ctx), {
      action: 'person.photo_deleted',
      entity: 'person',
      entityId: id,
      before: { photoUrl: personOutput(row).photoUrl },
    });
  });
}

/** The stored JPEG and the version it belongs to (for the ETag). */
export async function readPersonPhoto(ctx: RequestContext, auth: Auth, id: string, size: '256' | '64') {
  const row = await ctx.deps.db
    .selectFrom('person_photos as f')
    .innerJoin('people as p', (join) =>
      join.onRef('p.id', '=', 'f.person_id').onRef('p.workspace_id', '=', 'f.workspace_id'),
    )
    .select([size === '64' ? 'f.thumbnail as bytes' : 'f.image as bytes', 'p.photo_version'])
    .where('f.workspace_id', '=', auth.workspaceId)
    .where('f.person_id', '=', id)
    .where('p.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw notFound('The photo of this person');
  return { bytes: Buffer.from(row.bytes), version: row.photo_version ?? 0 };
}
