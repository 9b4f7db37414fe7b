import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInboundReceiver } from '../../src/features/mail-in/receiver.ts';
import { withInboundMail } from '../../src/features/mail-in/schema.ts';
import { type RunningApp, startApp } from '../../src/platform/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createWorkspace } from '../support/factories.ts';

let running: RunningApp;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rapport-inbound-'));
  running = await startApp(
    loadConfig({
      RAPPORT_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      JOBS_POLL_MS: '50',
      INBOUND_SMTP_PORT: '0',
      INBOUND_SMTP_HOST: '127.0.0.1',
      INBOUND_MAIL_DOMAIN: 'mail.acme.test',
    }),
    { logger: false },
  );
}, 60_000);
afterAll(async () => {
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function waitFor<T>(read: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the receiver in the running app', () => {
  it('is started by startApp, and the job worker turns mail into an item without help', async () => {
    expect(running.inboundSmtpPort).toBeGreaterThan(0);
    const workspace = await createWorkspace(running.deps.db);
    await running.deps.db
      .updateTable('workspaces')
      .set({ inbound_address: 'help@acme.test' })
      .where('id', '=', workspace.id)
      .execute();
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: running.inboundSmtpPort!,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({
      from: 'Lin <lin@example.com>',
      to: 'help@acme.test',
      subject: 'The app crashes on start',
      text: 'Since the update it does not work.',
    });
    transport.close();
    const stored = await waitFor(() =>
      withInboundMail(running.deps.db)
        .selectFrom('inbound_mail')
        .select(['status', 'item_id'])
        .where('workspace_id', '=', workspace.id)
        .where('status', '<>', 'received')
        .executeTakeFirst(),
    );
    expect(stored.status).toBe('processed');
    const item = await running.deps.db
      .selectFrom('items')
      .select(['kind', 'channel', 'subject', 'workspace_id'])
      .where('id', '=', stored.item_id!)
      .executeTakeFirstOrThrow();
    expect(item).toEqual({
      kind: 'complaint',
      channel: 'email',
      subject: 'The app crashes on start',
      workspace_id: workspace.id,
    });
  });

  it('says which setting to change when its port is taken', async () => {
    await expect(
      startInboundReceiver(running.deps, { port: running.inboundSmtpPort!, host: '127.0.0.1' }),
    ).rejects.toThrow(
      /cannot listen on 127\.0\.0\.1:\d+ \(INBOUND_SMTP_HOST\/INBOUND_SMTP_PORT\): .*EADDRINUSE/,
    );
  });

  it('stops listening when the app stops', async () => {
    const port = running.inboundSmtpPort!;
    await running.stop();
    const refused = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
