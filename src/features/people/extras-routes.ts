import { AppError } from '../../platform/errors.ts';
import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { idParams, page, pageQuery } from '../../shared/common.ts';
import {
  bulkPeopleInput,
  bulkPeopleResult,
  notesHistoryEntry,
  person,
  photoQuery,
} from '../../shared/people.ts';
import { can } from '../../shared/permissions.ts';
import { bulkUpdatePeople } from './bulk.ts';
import { notesHistoryPage } from './notes-history.ts';
import { deletePersonPhoto, readPersonPhoto, readPhotoUpload, setPersonPhoto } from './photo.ts';
import { setEtag } from './precondition.ts';
import { getPerson } from './service.ts';

const tag = 'people';

/** Bulk actions, notes history and photos of people. */
export const peopleExtraRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/people/bulk',
    // Each action also checks its own permission below (delete and restore need people.delete).
    permission: 'people.write',
    tag,
    summary: 'Tag, untag, set the owner or stage of, delete or restore up to 1000 people at once',
    description:
      'All or nothing: when an id is unknown, of another workspace or in the wrong state (restore needs ' +
      'deleted people), the answer is 422 listing those ids and nothing is changed.',
    body: bulkPeopleInput,
    response: bulkPeopleResult,
    handler: async ({ body, ctx }) => {
      const auth = requireAuth(ctx);
      if ((body.action === 'delete' || body.action === 'restore') && !can(auth.role, 'people.delete')) {
        throw new AppError('forbidden', `Your role (${auth.role}) may not do this (needs "people.delete").`);
      }
      return bulkUpdatePeople(ctx, auth, body);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/people/:id/notes-history',
    permission: 'people.read',
    tag,
    summary: 'Every text the notes of a person had, newest first (the first is the current one)',
    params: idParams,
    query: pageQuery,
    response: page(notesHistoryEntry),
    handler: async ({ params, query, ctx }) => {
      const auth = requireAuth(ctx);
      await getPerson(ctx, auth, params.id);
      return notesHistoryPage(ctx, auth, params.id, query);
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/people/:id/photo',
    permission: 'people.write',
    tag,
    summary: 'Upload a photo (multipart part "file": JPEG, PNG or GIF up to 10 MB); stored as 256×256 JPEG',
    params: idParams,
    response: person,
    handler: async ({ params, ctx, request, reply }) => {
      const upload = await readPhotoUpload(request);
      const updated = await setPersonPhoto(ctx, requireAuth(ctx), params.id, upload);
      setEtag(reply, updated.version);
      return updated;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/people/:id/photo',
    permission: 'people.read',
    tag,
    summary: 'The photo of a person as JPEG (256×256, or 64×64 with size=64)',
    params: idParams,
    query: photoQuery,
    handler: async ({ params, query, ctx, reply }) => {
      const photo = await readPersonPhoto(ctx, requireAuth(ctx), params.id, query.size);
      // A URL naming the current version never changes; other requests must revalidate.
      const current = query.v === String(photo.version);
      reply
        .type('image/jpeg')
        .header('ETag', `"photo-${photo.version}-${query.size}"`)
        .header('Cache-Control', current ? 'private, max-age=31536000, immutable' : 'private, no-cache');
      return photo.bytes;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/people/:id/photo',
    permission: 'people.write',
    tag,
    summary: 'Remove the photo of a person',
    params: idParams,
    status: 204,
    response: null,
    handler: async ({ params, ctx }) => deletePersonPhoto(ctx, requireAuth(ctx), params.id),
  }),
];
