import { audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { type Auth, auditContext, nowOf, type RequestContext } from '../../platform/http/context.ts';
import { itemKinds } from '../../shared/listening.ts';
import {
  type MessageTemplate,
  type MessageTemplateView,
  templatePlaceholders,
  templatePurposes,
  unknownPlaceholders,
} from '../../shared/listening-settings.ts';
import type { FieldProblem } from '../../shared/people.ts';
import { unprocessable } from '../people/normalize.ts';
import { defaultTemplate } from '../templates/render.ts';

const sameAsDefault = (template: MessageTemplate) => {
  const fallback = defaultTemplate(template.purpose, template.kind);
  return (
    template.enabled === fallback.enabled &&
    template.subject === fallback.subject &&
    template.body === fallback.body
  );
};

/** Every purpose × kind, the workspace's own text where it has one, else the default. */
export async function templatesOf(db: Queryable, workspaceId: string): Promise<MessageTemplateView[]> {
  const rows = await db
    .selectFrom('message_templates')
    .select(['purpose', 'kind', 'enabled', 'subject', 'body'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  const own = new Map(rows.map((row) => [`${row.purpose}/${row.kind}`, row]));
  return templatePurposes.flatMap((purpose) =>
    itemKinds.map((kind) => {
      const row = own.get(`${purpose}/${kind}`);
      return row ? { ...row, customised: true } : { ...defaultTemplate(purpose, kind), customised: false };
    }),
  );
}

export async function listTemplates(ctx: RequestContext, auth: Auth) {
  return { templates: await templatesOf(ctx.deps.db, auth.workspaceId) };
}

function checkTemplates(templates: readonly MessageTemplate[]) {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  templates.forEach((template, index) => {
    const path = `body.templates.${index}`;
    const id = `${template.purpose}/${template.kind}`;
    if (seen.has(id)) {
      problems.push({
        path,
        message: `the ${template.purpose} template for ${template.kind} is given twice.`,
      });
    }
    seen.add(id);
    for (const field of ['subject', 'body'] as const) {
      const unknown = unknownPlaceholders(template[field]);
      if (unknown.length > 0) {
        const names = unknown.map((name) => `{{${name}}}`).join(', ');
        problems.push({
          path: `${path}.${field}`,
          message: `unknown placeholder${unknown.length > 1 ? 's' : ''} ${names}; use ${templatePlaceholders
            .map((name) => `{{${name}}}`)
            .join(', ')}.`,
        });
      }
    }
  });
  if (problems.length > 0) throw unprocessable(problems);
}

/**
 * Saves the given templates (the others stay as they are). A template saved with exactly the
 * default text goes back to following the default, so later improvements of it reach the workspace.
 */
export async function saveTemplates(ctx: RequestContext, auth: Auth, templates: readonly MessageTemplate[]) {
  checkTemplates(templates);
  return ctx.deps.db.transaction().execute(async (tx) => {
    const before = await templatesOf(tx, auth.workspaceId);
    const now = nowOf(ctx.deps);
    const reset = templates.filter(sameAsDefault);
    const own = templates.filter((template) => !sameAsDefault(template));
    if (reset.length > 0) {
      await tx
        .deleteFrom('message_templates')
        .where('workspace_id', '=', auth.workspaceId)
        .where((eb) =>
          eb.or(
            reset.map((template) =>
              eb.and([eb('purpose', '=', template.purpose), eb('kind', '=', template.kind)]),
            ),
          ),
        )
        .execute();
    }
    if (own.length > 0) {
      await tx
        .insertInto('message_templates')
        .values(own.map((template) => ({ workspace_id: auth.workspaceId, ...template, updated_at: now })))
        .onConflict((conflict) =>
          conflict.columns(['workspace_id', 'purpose', 'kind']).doUpdateSet((eb) => ({
            enabled: eb.ref('excluded.enabled'),
            subject: eb.ref('excluded.subject'),
            body: eb.ref('excluded.body'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
    const after = await templatesOf(tx, auth.workspaceId);
    const changed = (list: MessageTemplateView[]) =>
      list.filter((template) =>
        templates.some((given) => given.purpose === template.purpose && given.kind === template.kind),
      );
    await audit(tx, auditContext(ctx), {
      action: 'message_templates.updated',
      entity: 'message_template',
      before: changed(before),
      after: changed(after),
    });
    return { templates: after };
  });
}
