import nodemailer from 'nodemailer';
import { startInboundReceiver } from '../../../src/features/mail-in/receiver.ts';
import type { TestApp } from '../../support/test-app.ts';

/**
 * Mail for a workspace, for real: its inbound address set, the built-in SMTP receiver on a free
 * port and a nodemailer transport that sends to it.
 */
export async function openInbound(t: TestApp, workspaceId: string, address: string) {
  await t.database.db
    .updateTable('workspaces')
    .set({ inbound_address: address })
    .where('id', '=', workspaceId)
    .execute();
  const receiver = await startInboundReceiver(t.deps, { port: 0, host: '127.0.0.1' });
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: receiver.port,
    secure: false,
    ignoreTLS: true,
  });
  return {
    transport,
    close: async () => {
      transport.close();
      await receiver.close();
    },
  };
}
