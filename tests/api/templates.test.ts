import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTemplate, renderTemplate } from '../../src/features/templates/render.ts';
import { createUser, signedInUser, signIn } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let outsider: Awaited<ReturnType<typeof signedInUser>>;
let agent: Client;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  outsider = await signedInUser(t, 'admin');
  const user = await createUser(t.database.db, admin.workspaceId, { role: 'agent' });
  agent = t.client();
  await signIn(agent, user.email);
});
afterAll(() => t.close());

const complaintThanks = {
  purpose: 'thank_you',
  kind: 'complaint',
  enabled: true,
  subject: 'Thanks, {{name}} [#{{ref}}]',
  body: 'Dear {{name}},\n\nThank you for telling us about {{subject}}.\n\n{{workspace}}',
};

describe('message templates', () => {
  it('lists every purpose × kind with the defaults filled in', async () => {
    const response = await agent.get('/api/v1/message-templates');
    expect(response.status).toBe(200);
    expect(response.body.templates).toHaveLength(18);
    expect(response.body.templates.every((template: { customised: boolean }) => !template.customised)).toBe(
      true,
    );
    expect(response.body.templates).toContainEqual({
      ...defaultTemplate('acknowledgement', 'question'),
      customised: false,
    });
  });

  it('saves the given templates, leaves the others, and is what sending uses', async () => {
    const saved = await admin.client.request('PUT', '/api/v1/message-templates', {
      templates: [complaintThanks, { ...defaultTemplate('acknowledgement', 'praise'), enabled: false }],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const byId = (list: { purpose: string; kind: string }[], purpose: string, kind: string) =>
      list.find((template) => template.purpose === purpose && template.kind === kind);
    expect(byId(saved.body.templates, 'thank_you', 'complaint')).toEqual({
      ...complaintThanks,
      customised: true,
    });
    expect(byId(saved.body.templates, 'acknowledgement', 'praise')).toMatchObject({
      enabled: false,
      customised: true,
    });
    expect(byId(saved.body.templates, 'thank_you', 'praise')).toMatchObject({ customised: false });
    const listed = await agent.get('/api/v1/message-templates');
    expect(listed.body).toEqual(saved.body);

    const rendered = await renderTemplate(t.database.db, admin.workspaceId, 'thank_you', 'complaint', {
      name: 'Ana',
      ref: '42',
      subject: 'the broken door',
      workspace: 'Acme',
    });
    expect(rendered).toEqual({
      subject: 'Thanks, Ana [#42]',
      body: 'Dear Ana,\n\nThank you for telling us about the broken door.\n\nAcme',
    });
    expect(
      await renderTemplate(t.database.db, admin.workspaceId, 'acknowledgement', 'praise', {}),
    ).toBeNull();
    // Another workspace still has the defaults.
    const theirs = await outsider.client.get('/api/v1/message-templates');
    expect(byId(theirs.body.templates, 'thank_you', 'complaint')).toMatchObject({ customised: false });

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('workspace_id', '=', admin.workspaceId)
      .where('action', '=', 'message_templates.updated')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('goes back to the default when saved with the default text', async () => {
    await admin.client.request('PUT', '/api/v1/message-templates', { templates: [complaintThanks] });
    const reset = await admin.client.request('PUT', '/api/v1/message-templates', {
      templates: [defaultTemplate('thank_you', 'complaint')],
    });
    expect(reset.status).toBe(200);
    const row = await t.database.db
      .selectFrom('message_templates')
      .select('kind')
      .where('workspace_id', '=', admin.workspaceId)
      .where('purpose', '=', 'thank_you')
      .where('kind', '=', 'complaint')
      .executeTakeFirst();
    expect(row).toBeUndefined();
    const listed = await agent.get('/api/v1/message-templates');
    expect(
      listed.body.templates.find(
        (template: { purpose: string; kind: string }) =>
          template.purpose === 'thank_you' && template.kind === 'complaint',
      ),
    ).toMatchObject({ customised: false, subject: defaultTemplate('thank_you', 'complaint').subject });
  });

  it('refuses unknown placeholders, naming them, and saves nothing', async () => {
    const response = await admin.client.request('PUT', '/api/v1/message-templates', {
      templates: [
        {
          ...complaintThanks,
          kind: 'question',
          subject: 'Hi {{ Name }}',
          body: 'Your {{order_id}} and {{ref}} {{ x }}',
        },
        { ...complaintThanks, kind: 'opinion' },
      ],
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([
      { path: 'body.templates.0.subject', message: expect.stringContaining('unknown placeholder {{Name}};') },
      {
        path: 'body.templates.0.body',
        message: expect.stringContaining('unknown placeholders {{order_id}}, {{x}};'),
      },
    ]);
    expect(response.body.errors[1].message).toContain('{{name}}, {{subject}}, {{ref}}');
    const stored = await t.database.db
      .selectFrom('message_templates')
      .select('kind')
      .where('workspace_id', '=', admin.workspaceId)
      .where('kind', 'in', ['question', 'opinion'])
      .execute();
    expect(stored).toEqual([]);
  });

  it('refuses the same template twice, empty texts and unknown purposes', async () => {
    const twice = await admin.client.request('PUT', '/api/v1/message-templates', {
      templates: [complaintThanks, complaintThanks],
    });
    expect(twice.status).toBe(422);
    expect(twice.body.errors[0].path).toBe('body.templates.1');
    const empty = await admin.client.request('PUT', '/api/v1/message-templates', {
      templates: [{ ...complaintThanks, body: '  ' }],
    });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].path).toBe('body.templates.0.body');
    const purpose = await admin.client.request('PUT', '/api/v1/message-templates', {
      templates: [{ ...complaintThanks, purpose: 'reminder' }],
    });
    expect(purpose.status).toBe(400);
  });

  it('can be changed by managers and admins only', async () => {
    const refused = await agent.request('PUT', '/api/v1/message-templates', { templates: [complaintThanks] });
    expect(refused.status).toBe(403);
  });
});
