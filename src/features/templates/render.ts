import type { Queryable } from '../../platform/db/database.ts';
import type { ItemKind } from '../../shared/listening.ts';
import type { MessageTemplate } from '../../shared/listening-settings.ts';

export type TemplatePurpose = MessageTemplate['purpose'];

const kindWords: Record<ItemKind, string> = {
  opinion: 'your opinion',
  request: 'your request',
  suggestion: 'your suggestion',
  complaint: 'your complaint',
  praise: 'your kind words',
  question: 'your question',
};

/** The templates a workspace starts with; each can be changed or disabled per kind. */
export function defaultTemplate(purpose: TemplatePurpose, kind: ItemKind): MessageTemplate {
  const what = kindWords[kind];
  switch (purpose) {
    case 'acknowledgement':
      return {
        purpose,
        kind,
        enabled: true,
        subject: 'We received {{subject}} [#{{ref}}]',
        body:
          `Hello {{name}},\n\nThank you for contacting {{workspace}}. We have received ${what} and ` +
          'someone is taking care of it. You can answer this email to add anything.\n\n' +
          'Reference: #{{ref}}\n\n{{workspace}}',
      };
    case 'thank_you':
      return {
        purpose,
        kind,
        enabled: true,
        subject: 'Thank you [#{{ref}}]',
        body:
          `Hello {{name}},\n\nThank you for ${what}. It helps us do better for you and for everyone ` +
          'else.\n\n{{workspace}}',
      };
    case 'fix_notice':
      return {
        purpose,
        kind,
        enabled: true,
        subject: 'Fixed: {{subject}} [#{{ref}}]',
        body: 'Hello {{name}},\n\n{{summary}}\n\nThank you for telling us about it.\n\n{{workspace}}',
      };
  }
}

export type TemplateVariables = Partial<
  Record<'name' | 'subject' | 'ref' | 'workspace' | 'resolution' | 'summary', string>
>;

/** Fills {{placeholders}}; unknown ones are left as written so that a typo is visible. */
export function fillTemplate(text: string, variables: TemplateVariables): string {
  return text.replace(/\{\{\s*([a-z]+)\s*\}\}/g, (match, name: string) => {
    const value = variables[name as keyof TemplateVariables];
    return value === undefined ? match : value;
  });
}

/** The workspace's template for a purpose and kind (its own, else the default). */
export async function templateFor(
  db: Queryable,
  workspaceId: string,
  purpose: TemplatePurpose,
  kind: ItemKind,
): Promise<MessageTemplate> {
  const row = await db
    .selectFrom('message_templates')
    .select(['purpose', 'kind', 'enabled', 'subject', 'body'])
    .where('workspace_id', '=', workspaceId)
    .where('purpose', '=', purpose)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row ?? defaultTemplate(purpose, kind);
}

/** Subject and body ready to send, or null when the template is disabled. */
export async function renderTemplate(
  db: Queryable,
  workspaceId: string,
  purpose: TemplatePurpose,
  kind: ItemKind,
  variables: TemplateVariables,
): Promise<{ subject: string; body: string } | null> {
  const template = await templateFor(db, workspaceId, purpose, kind);
  if (!template.enabled) return null;
  return { subject: fillTemplate(template.subject, variables), body: fillTemplate(template.body, variables) };
}
