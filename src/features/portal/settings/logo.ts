import type { FastifyRequest } from 'fastify';
import { Jimp } from 'jimp';
import { sql } from 'kysely';
import { audit } from '../../../platform/audit.ts';
import { AppError } from '../../../platform/errors.ts';
import { type Auth, auditContext, nowOf, type RequestContext } from '../../../platform/http/context.ts';
import { readFileUpload } from '../../../platform/http/upload.ts';
import type { PortalSettings } from '../../../shared/portal.ts';
import { imageSize, sniffImage } from '../../people/photo.ts';
import { resolvePortal } from '../site.ts';
import { ensureSettingsRow, readPortalSettings } from './service.ts';

export const maxLogoBytes = 1024 * 1024;
/** Logos are shown small: larger ones are scaled down to fit this box. */
const maxSide = 256;
/** Decoding takes 4 bytes a pixel: a small file claiming huge dimensions is refused before that. */
const maxPixels = 25_000_000;

type LogoType = 'image/png' | 'image/jpeg' | 'image/webp';

const unsupported = (why: string) =>
  new AppError('unsupported_media_type', `file: ${why}. Upload a PNG, JPEG or WebP image up to 1 MB.`, {
    errors: [{ path: 'file', message: `${why}.` }],
  });
const unreadable = (why: string) =>
  new AppError('unprocessable', `file: not an image we can read (${why}).`, {
    errors: [{ path: 'file', message: `not an image we can read (${why}).` }],
  });

/** Reads the multipart `file` part into memory (at most 1 MB). */
export function readLogoUpload(request: FastifyRequest): Promise<Buffer> {
  return readFileUpload(request, { what: 'logo', maxBytes: maxLogoBytes });
}

/** Width and height of a WebP file from its header (VP8, VP8L or VP8X), without decoding. */
export function webpSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length < 30) return null;
  const chunk = bytes.subarray(12, 16).toString('latin1');
  if (chunk === 'VP8X') {
    return { width: 1 + bytes.readUIntLE(24, 3), height: 1 + bytes.readUIntLE(27, 3) };
  }
  if (chunk === 'VP8 ') {
    return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
  }
  if (chunk === 'VP8L' && bytes[20] === 0x2f) {
    const b1 = bytes[21]!;
    const b2 = bytes[22]!;
    const b3 = bytes[23]!;
    const b4 = bytes[24]!;
    return {
      width: 1 + (b1 | ((b2 & 0x3f) << 8)),
      height: 1 + ((b2 >> 6) | (b3 << 2) | ((b4 & 0x0f) << 10)),
    };
  }
  return null;
}

/**
 * PNG and JPEG are scaled down to fit 256×256 (kept in their format, so PNG transparency stays).
 * WebP cannot be decoded here, so it is stored as sent when it already fits.
 */
export async function prepareLogo(bytes: Buffer): Promise<{ image: Buffer; type: LogoType }> {
  const format = sniffImage(bytes);
  if (format === 'webp') {
    const size = webpSize(bytes);
    if (!size) throw unreadable('the WebP header is damaged');
    if (size.width > maxSide || size.height > maxSide) {
      throw new AppError(
        'unprocessable',
        `file: a WebP logo must be at most ${maxSide}×${maxSide} pixels (this one is ${size.width}×${size.height}); ` +
          'upload a PNG or JPEG to have it scaled down.',
        { errors: [{ path: 'file', message: `must be at most ${maxSide}×${maxSide} pixels.` }] },
      );
    }
    return { image: bytes, type: 'image/webp' };
  }
  if (format !== 'png' && format !== 'jpeg') {
    throw unsupported(format === 'gif' ? 'GIF is not supported' : 'this is not a PNG, JPEG or WebP image');
  }
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
  if (decoded.width > maxSide || decoded.height > maxSide) decoded.scaleToFit({ w: maxSide, h: maxSide });
  const type: LogoType = format === 'png' ? 'image/png' : 'image/jpeg';
  const image =
    type === 'image/png'
      ? await decoded.getBuffer('image/png')
      : await decoded.getBuffer('image/jpeg', { quality: 90 });
  return { image, type };
}

export async function setPortalLogo(
  ctx: RequestContext,
  auth: Auth,
  upload: Buffer,
): Promise<PortalSettings> {
  // Decode before the transaction: no row lock is held while the CPU works.
  const { image, type } = await prepareLogo(upload);
  return ctx.deps.db.transaction().execute(async (tx) => {
    await ensureSettingsRow(tx, auth.workspaceId);
    const before = await readPortalSettings(tx, ctx, auth.workspaceId);
    await tx
      .updateTable('portal_settings')
      .set({
        logo: image,
        logo_type: type,
        logo_version: sql<number>`coalesce(logo_version, 0) + 1`,
        updated_at: nowOf(ctx.deps),
      })
      .where('workspace_id', '=', auth.workspaceId)
      .execute();
    const after = await readPortalSettings(tx, ctx, auth.workspaceId);
    await audit(tx, auditContext(ctx), {
      action: 'portal.logo_set',
      entity: 'portal_settings',
      entityId: auth.workspaceId,
      before: { logoUrl: before.logoUrl },
      after: { logoUrl: after.logoUrl, type, bytes: image.length },
    });
    return after;
  });
}

export async function deletePortalLogo(ctx: RequestContext, auth: Auth): Promise<void> {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const before = await readPortalSettings(tx, ctx, auth.workspaceId);
    if (!before.logoUrl) throw new AppError('not_found', 'This portal has no logo.');
    await tx
      .updateTable('portal_settings')
      .set({ logo: null, logo_type: null, logo_version: null, updated_at: nowOf(ctx.deps) })
      .where('workspace_id', '=', auth.workspaceId)
      .execute();
    await audit(tx, auditContext(ctx), {
      action: 'portal.logo_deleted',
      entity: 'portal_settings',
      entityId: auth.workspaceId,
      before: { logoUrl: before.logoUrl },
    });
  });
}

/** The logo of an open portal, for everyone (it is shown on the sign-in page). */
export async function readPortalLogo(ctx: RequestContext, slug: string | undefined) {
  const portal = await resolvePortal(ctx, slug);
  const row = await ctx.deps.db
    .selectFrom('portal_settings')
    .select(['logo', 'logo_type', 'logo_version'])
    .where('workspace_id', '=', portal.id)
    .executeTakeFirst();
  if (!row?.logo || !row.logo_type || row.logo_version === null) {
    throw new AppError('not_found', 'This portal has no logo.');
  }
  return { bytes: Buffer.from(row.logo), type: row.logo_type, version: row.logo_version };
}
