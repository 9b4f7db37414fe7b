import { z } from 'zod';
import { isoDate, uuid, versionField } from './common.ts';

export const viewEntities = ['person', 'organization', 'item'] as const;
export const viewEntity = z.enum(viewEntities);

/** A list query as the web app keeps it: parameter → value or values (the list validates it when used). */
const viewQuery = z
  .record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,49}$/, 'parameter names are letters and digits.'),
    z.union([z.string().max(1100), z.array(z.string().max(1100)).max(50), z.number(), z.boolean()]),
  )
  .refine((value) => Object.keys(value).length <= 30, 'at most 30 parameters.')
  .refine((value) => !('after' in value), 'a view does not keep a page cursor (after).');

const viewColumns = z.array(z.string().trim().min(1).max(100)).max(60, 'at most 60 columns.');
const viewName = z.string().trim().min(1, 'is required.').max(100, 'must be at most 100 characters long.');

export const createViewInput = z.strictObject({
  entity: viewEntity,
  name: viewName,
  shared: z.boolean().default(false).describe('Shared views are visible to the whole workspace.'),
  query: viewQuery.default({}),
  columns: viewColumns.default([]),
});
export type CreateViewInput = z.infer<typeof createViewInput>;

export const updateViewInput = z.strictObject({
  name: viewName.optional(),
  shared: z.boolean().optional(),
  query: viewQuery.optional(),
  columns: viewColumns.optional(),
  version: versionField,
});
export type UpdateViewInput = z.infer<typeof updateViewInput>;

export const savedView = z.object({
  id: uuid,
  entity: viewEntity,
  name: z.string(),
  shared: z.boolean(),
  ownerId: uuid,
  query: z.record(z.string(), z.unknown()),
  columns: z.array(z.string()),
  version: z.number().int(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type SavedView = z.infer<typeof savedView>;

export const listViewsQuery = z.strictObject({
  entity: viewEntity.optional(),
  after: z.string().max(200).optional().describe('The `next` cursor of the previous page.'),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
