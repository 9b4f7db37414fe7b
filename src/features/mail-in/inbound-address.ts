import { audit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import { replyDomain } from '../items/send.ts';
import { replyTokenOf } from './recipients.ts';

export async function getInboundAddress(ctx: RequestContext, auth: Auth) {
  const row = await ctx.deps.db
    .selectFrom('workspaces')
    .select('inbound_address')
    .where('id', '=', auth.workspaceId)
    .executeTakeFirstOrThrow();
  return {
    address: row.inbound_address,
    replyDomain: replyDomain(ctx.deps.config),
    receiverEnabled: ctx.deps.config.INBOUND_SMTP_PORT !== undefined,
  };
}

/** Sets (or with null removes) the address whose new mail becomes items of this workspace. */
export async function setInboundAddress(ctx: RequestContext, auth: Auth, address: string | null) {
  if (address && (replyTokenOf(ctx.deps.config, address) || /^reply\+/i.test(address))) {
    throw new AppError(
      'unprocessable',
      'body.address: reply+… addresses are the reply addresses of items; choose another, such as support@…',
      { errors: [{ path: 'body.address', message: 'must not be a reply+… address.' }] },
    );
  }
  await ctx.deps.db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('workspaces')
      .select('inbound_address')
      .where('id', '=', auth.workspaceId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (address) {
      const taken = await tx
        .selectFrom('workspaces')
        .select('id')
        .where((eb) => eb(eb.fn('lower', ['inbound_address']), '=', address.toLowerCase()))
        .where('id', '<>', auth.workspaceId)
        .executeTakeFirst();
      if (taken) {
        throw new AppError(
          'conflict',
          `${address} already receives mail for another workspace; choose another address.`,
        );
      }
    }
    await tx
      .updateTable('workspaces')
      .set({ inbound_address: address })
      .where('id', '=', auth.workspaceId)
      .execute();
    await audit(tx, auditContext(ctx), {
      action: 'workspace.inbound_address_set',
      entity: 'workspace',
      entityId: auth.workspaceId,
      before: { inboundAddress: before.inbound_address },
      after: { inboundAddress: address },
    });
  });
  return getInboundAddress(ctx, auth);
}
