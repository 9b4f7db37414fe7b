import { audit } from '../../../platform/audit.ts';
import { publicUrl } from '../../../platform/config.ts';
import type { Queryable } from '../../../platform/db/database.ts';
import { AppError } from '../../../platform/errors.ts';
import { type Auth, auditContext, nowOf, type RequestContext } from '../../../platform/http/context.ts';
import type { PortalSettings, UpdatePortalSettingsInput } from '../../../shared/portal.ts';
import { loadPortalWorkspaceById } from '../site.ts';

const slugTaken = () =>
  new AppError('conflict', 'slug: that address is taken; pick another.', {
    errors: [{ path: 'body.slug', message: 'that address is taken' }],
  });

/** The settings as staff edit them (the same read as the portal's site); defaults until saved. */
export async function readPortalSettings(
  db: Queryable,
  ctx: RequestContext,
  workspaceId: string,
): Promise<PortalSettings> {
  const portal = await loadPortalWorkspaceById(db, workspaceId);
  if (!portal) throw new Error(`workspace ${workspaceId} has vanished`);
  const { site } = portal;
  return {
    slug: site.slug,
    enabled: portal.enabled,
    title: portal.title,
    welcome: site.welcome,
    primaryColor: site.primaryColor,
    logoUrl: site.logoUrl,
    parts: site.parts,
    publicSuggestions: site.publicSuggestions,
    publicArticles: site.publicArticles,
    erasureDays: site.erasureDays,
    portalUrl: `${publicUrl(ctx.deps.config, ctx.origin)}/portal/${site.slug}`,
  };
}

export function getPortalSettings(ctx: RequestContext, auth: Auth) {
  return readPortalSettings(ctx.deps.db, ctx, auth.workspaceId);
}

/** The portal_settings columns an update sets (only the fields it names). */
function settingsColumns(input: UpdatePortalSettingsInput) {
  return {
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.welcome !== undefined ? { welcome: input.welcome || null } : {}),
    ...(input.primaryColor !== undefined ? { primary_color: input.primaryColor } : {}),
    ...(input.parts?.items !== undefined ? { show_items: input.parts.items } : {}),
    ...(input.parts?.suggestions !== undefined ? { show_suggestions: input.parts.suggestions } : {}),
    ...(input.parts?.articles !== undefined ? { show_articles: input.parts.articles } : {}),
    ...(input.parts?.intents !== undefined ? { show_intents: input.parts.intents } : {}),
    ...(input.publicSuggestions !== undefined ? { public_suggestions: input.publicSuggestions } : {}),
    ...(input.publicArticles !== undefined ? { public_articles: input.publicArticles } : {}),
    ...(input.erasureDays !== undefined ? { erasure_days: input.erasureDays } : {}),
  };
}

/** Creates the settings row with the defaults when the workspace never saved any. */
export async function ensureSettingsRow(tx: Queryable, workspaceId: string): Promise<void> {
  await tx
    .insertInto('portal_settings')
    .values({ workspace_id: workspaceId })
    .onConflict((conflict) => conflict.column('workspace_id').doNothing())
    .execute();
}

export async function updatePortalSettings(
  ctx: RequestContext,
  auth: Auth,
  input: UpdatePortalSettingsInput,
): Promise<PortalSettings> {
  try {
    return await ctx.deps.db.transaction().execute(async (tx) => {
      await ensureSettingsRow(tx, auth.workspaceId);
      // Lock the row: two admins saving at once apply one after the other.
      await tx
        .selectFrom('portal_settings')
        .select('workspace_id')
        .where('workspace_id', '=', auth.workspaceId)
        .forUpdate()
        .execute();
      const before = await readPortalSettings(tx, ctx, auth.workspaceId);
      if (input.slug !== undefined && input.slug !== before.slug) {
        const taken = await tx
          .selectFrom('workspaces')
          .select('id')
          .where('portal_slug', '=', input.slug)
          .where('id', '!=', auth.workspaceId)
          .executeTakeFirst();
        if (taken) throw slugTaken();
        await tx
          .updateTable('workspaces')
          .set({ portal_slug: input.slug })
          .where('id', '=', auth.workspaceId)
          .execute();
      }
      await tx
        .updateTable('portal_settings')
        .set({ ...settingsColumns(input), updated_at: nowOf(ctx.deps) })
        .where('workspace_id', '=', auth.workspaceId)
        .execute();
      const after = await readPortalSettings(tx, ctx, auth.workspaceId);
      await audit(tx, auditContext(ctx), {
        action: 'portal.settings_updated',
        entity: 'portal_settings',
        entityId: auth.workspaceId,
        before,
        after,
      });
      return after;
    });
  } catch (error) {
    // Two workspaces claiming the same free address at once: the unique index decides.
    if ((error as { code?: string }).code === '23505') throw slugTaken();
    throw error;
  }
}
