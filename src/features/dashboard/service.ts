import { audit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import { type Dashboard, type DashboardInput, defaultDashboardMetrics } from '../../shared/dashboard.ts';
import { findMetric } from '../metrics/catalogue.ts';
import { type DashboardRow, findDashboard, saveDashboard } from './queries.ts';

function toDashboard(row: DashboardRow | null): Dashboard {
  if (!row)
    return {
      metrics: defaultDashboardMetrics.filter((name) => findMetric(name)),
      saved: false,
      updatedAt: null,
    };
  // A metric removed from the catalogue since is left out rather than shown broken.
  return {
    metrics: row.metrics.filter((name) => findMetric(name)),
    saved: true,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export async function getDashboard(ctx: RequestContext, auth: Auth): Promise<Dashboard> {
  return toDashboard(await findDashboard(ctx.deps.db, auth.workspaceId, auth.userId));
}

export async function putDashboard(
  ctx: RequestContext,
  auth: Auth,
  input: DashboardInput,
): Promise<Dashboard> {
  for (const [index, name] of input.metrics.entries()) {
    if (!findMetric(name)) {
      const path = `body.metrics.${index}`;
      const message = `"${name}" is not a metric (see GET /api/v1/metrics).`;
      throw new AppError('validation_failed', `${path}: ${message}`, { errors: [{ path, message }] });
    }
  }
  return ctx.deps.db.transaction().execute(async (tx) => {
    const before = await findDashboard(tx, auth.workspaceId, auth.userId);
    const row = await saveDashboard(tx, auth.workspaceId, auth.userId, input.metrics);
    await audit(tx, auditContext(ctx), {
      action: 'dashboard.saved',
      entity: 'user_dashboard',
      entityId: auth.userId,
      before: before ? { metrics: before.metrics } : null,
      after: { metrics: row.metrics },
    });
    return toDashboard(row);
  });
}
