import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { AppDeps } from '../../platform/http/context.ts';
import { type Recipient, resolveRecipient } from './recipients.ts';
import { storeInboundMail } from './store.ts';

export interface InboundReceiver {
  port: number;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * The built-in SMTP receiver. It only stores: RCPT is accepted for an item's reply address or a
 * workspace's inbound address (550 otherwise), a message over INBOUND_MAX_BYTES is refused with
 * 552, and an accepted message is written raw to inbound_mail with its processing job before
 * the 250 goes out. A database failure answers 451 so that the sender retries: nothing is lost.
 */
export async function startInboundReceiver(
  deps: AppDeps,
  options: { port: number; host: string; log?: (message: string, error?: unknown) => void },
): Promise<InboundReceiver> {
  const log = options.log ?? (() => {});
  const server = new SMTPServer({
    name: deps.config.INBOUND_MAIL_DOMAIN ?? 'rapport',
    banner: 'Rapport inbound mail',
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: deps.config.INBOUND_MAX_BYTES,
    maxClients: 20,
    socketTimeout: 60_000,
    logger: false,
    onRcptTo(address, _session, callback) {
      resolveRecipient(deps.db, deps.config, address.address)
        .then((recipient) =>
          callback(recipient ? null : smtpError(550, `No mailbox here for ${address.address}`)),
        )
        .catch((error: unknown) => {
          log('inbound mail: recipient lookup failed', error);
          callback(smtpError(451, 'Temporary failure, try again later'));
        });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(
            smtpError(552, `Message exceeds the maximum size of ${deps.config.INBOUND_MAX_BYTES} bytes`),
          );
          return;
        }
        (async () => {
          const recipients: Recipient[] = [];
          for (const rcpt of session.envelope.rcptTo) {
            const recipient = await resolveRecipient(deps.db, deps.config, rcpt.address);
            if (recipient) recipients.push(recipient);
          }
          if (recipients.length === 0) throw smtpError(550, 'None of the recipients is known here any more');
          const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          await storeInboundMail(deps.db, { mailFrom, recipients, raw: Buffer.concat(chunks) });
        })()
          .then(() => callback(null))
          .catch((error: unknown) => {
            if (error instanceof Error && 'responseCode' in error) return callback(error);
            log('inbound mail: storing a message failed', error);
            callback(smtpError(451, 'Temporary failure, try again later'));
          });
      });
    },
  });
  server.on('error', (error) => log('inbound mail: SMTP server error', error));
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) =>
      reject(
        new Error(
          `The inbound SMTP receiver cannot listen on ${options.host}:${options.port} ` +
            `(INBOUND_SMTP_HOST/INBOUND_SMTP_PORT): ${error.message}`,
        ),
      );
    server.server.once('error', failed);
    server.listen(options.port, options.host, () => {
      server.server.off('error', failed);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
