import type { Queryable } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import type { PortalSite } from '../../shared/portal.ts';

export interface PortalWorkspace {
  id: string;
  name: string;
  slug: string;
  enabled: boolean;
  /** The title staff set (null: the workspace name is shown). */
  title: string | null;
  site: PortalSite;
}

/** One query: the workspace and its portal settings (defaults when never saved). */
async function loadPortalWorkspace(
  db: Queryable,
  where: { slug: string } | { id: string } | 'only',
): Promise<PortalWorkspace | null> {
  let query = db
    .selectFrom('workspaces as w')
    .leftJoin('portal_settings as s', 's.workspace_id', 'w.id')
    .select([
      'w.id',
      'w.name',
      'w.portal_slug',
      's.enabled',
      's.title',
      's.welcome',
      's.primary_color',
      's.logo_version',
      's.show_items',
      's.show_suggestions',
      's.show_articles',
      's.show_intents',
      's.public_suggestions',
      's.public_articles',
      's.erasure_days',
    ])
    .limit(2);
  if (where !== 'only') {
    query =
      'slug' in where ? query.where('w.portal_slug', '=', where.slug) : query.where('w.id', '=', where.id);
  }
  const rows = await query.execute();
  if (rows.length !== 1) return null;
  const row = rows[0]!;
  return {
    id: row.id,
    name: row.name,
    slug: row.portal_slug,
    enabled: row.enabled ?? true,
    title: row.title ?? null,
    site: {
      slug: row.portal_slug,
      name: row.name,
      title: row.title ?? row.name,
      welcome: row.welcome ?? null,
      primaryColor: row.primary_color ?? '#1c7ed6',
      logoUrl:
        row.logo_version === null
          ? null
          : `/portal/api/v1/site/logo?workspace=${row.portal_slug}&v=${row.logo_version}`,
      parts: {
        items: row.show_items ?? true,
        suggestions: row.show_suggestions ?? true,
        articles: row.show_articles ?? true,
        intents: row.show_intents ?? true,
      },
      publicSuggestions: row.public_suggestions ?? false,
      publicArticles: row.public_articles ?? true,
      erasureDays: row.erasure_days ?? 30,
    },
  };
}

export function loadPortalWorkspaceById(db: Queryable, workspaceId: string) {
  return loadPortalWorkspace(db, { id: workspaceId });
}

const closed = () =>
  new AppError('not_found', 'This portal does not exist or is closed. Check the link your company gave you.');

/**
 * The portal a request is about: the signed-in customer's, else the one named by `?workspace=`,
 * else the only workspace on this server. Refuses closed portals with 404.
 */
export async function resolvePortal(ctx: RequestContext, slug: string | undefined): Promise<PortalWorkspace> {
  const db = ctx.deps.db;
  const portal = ctx.customer
    ? await loadPortalWorkspace(db, { id: ctx.customer.workspaceId })
    : await loadPortalWorkspace(db, slug ? { slug } : 'only');
  if (!portal) {
    if (!ctx.customer && !slug) {
      throw new AppError(
        'bad_request',
        'Name the portal: add ?workspace=<slug> (the part after /portal/ in its address).',
      );
    }
    throw closed();
  }
  if (!portal.enabled) throw closed();
  return portal;
}

/** Refuses with 404 when staff turned this part of the portal off. */
export function requirePart(portal: PortalWorkspace, part: keyof PortalSite['parts']): void {
  if (!portal.site.parts[part]) {
    throw new AppError('not_found', 'This part of the portal is turned off.');
  }
}
