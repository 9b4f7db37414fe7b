import { extname } from 'node:path';
import type { Attachment } from 'mailparser';

/** What may be stored from a mail: documents, images, text and office files. */
const allowedTypes = new Map<string, string[]>([
  ['application/pdf', ['.pdf']],
  ['image/png', ['.png']],
  ['image/jpeg', ['.jpg', '.jpeg']],
  ['image/gif', ['.gif']],
  ['image/webp', ['.webp']],
  ['image/heic', ['.heic']],
  ['text/plain', ['.txt', '.log']],
  ['text/csv', ['.csv']],
  ['text/calendar', ['.ics']],
  ['application/msword', ['.doc']],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', ['.docx']],
  ['application/vnd.ms-excel', ['.xls']],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ['.xlsx']],
  ['application/vnd.ms-powerpoint', ['.ppt']],
  ['application/vnd.openxmlformats-officedocument.presentationml.presentation', ['.pptx']],
  ['application/vnd.oasis.opendocument.text', ['.odt']],
  ['application/vnd.oasis.opendocument.spreadsheet', ['.ods']],
  ['application/vnd.oasis.opendocument.presentation', ['.odp']],
  ['application/rtf', ['.rtf']],
  ['message/rfc822', ['.eml']],
]);
const allowedExtensions = new Map(
  [...allowedTypes].flatMap(([type, extensions]) =>
    extensions.map((extension) => [extension, type] as const),
  ),
);

/** The stored type when it is on the allow-list, else a download that no browser will render. */
export function downloadContentType(storedType: string): string {
  const type = storedType.toLowerCase().split(';')[0]!.trim();
  return allowedTypes.has(type) ? type : 'application/octet-stream';
}

/** A filename without paths, control characters, quotes or a leading dot. */
export function safeFilename(name: string | undefined, fallback = 'attachment'): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base
    .replace(/[^\x20-\x7e\u00a0-\uffff]/g, '_')
    .replace(/["<>:|?*;]/g, '_')
    .replace(/^\.+/, '')
    .trim()
    .slice(-200);
  return clean.length > 0 ? clean : fallback;
}

/** Content-Disposition for a download: an ASCII fallback and the UTF-8 name (RFC 6266). */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/[\\"]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

const readableSize = (bytes: number) =>
  bytes >= 1_000_000
    ? `${(bytes / 1_000_000).toFixed(1).replace(/\.0$/, '')} MB`
    : `${Math.max(1, Math.round(bytes / 1000))} kB`;

export interface KeptAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}
export interface DroppedAttachment {
  filename: string;
  reason: string;
}

/**
 * Splits a mail's attachments into those stored (extension on the allow-list, declared type on
 * it too or unspecified, within the size limit; stored under the extension's type) and those dropped with the reason. Judging by extension and declared
 * type keeps it simple and strict: anything unknown is dropped, never executed or served.
 */
export function screenAttachments(attachments: readonly Attachment[], maxBytes: number) {
  const kept: KeptAttachment[] = [];
  const dropped: DroppedAttachment[] = [];
  attachments.forEach((attachment, index) => {
    const filename = safeFilename(attachment.filename, `attachment-${index + 1}`);
    const extension = extname(filename).toLowerCase();
    const declared = attachment.contentType.toLowerCase();
    const typeOfExtension = allowedExtensions.get(extension);
    if (!typeOfExtension) {
      dropped.push({ filename, reason: `the file type ${extension || '(none)'} is not allowed` });
    } else if (!allowedTypes.has(declared) && declared !== 'application/octet-stream') {
      dropped.push({ filename, reason: `declared as ${declared}, which is not allowed` });
    } else if (attachment.content.length > maxBytes) {
      dropped.push({ filename, reason: `larger than ${readableSize(maxBytes)}` });
    } else {
      kept.push({ filename, contentType: typeOfExtension, content: attachment.content });
    }
  });
  return { kept, dropped };
}
