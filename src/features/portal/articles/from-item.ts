import { AppError } from '../../../platform/errors.ts';
import type { Auth, RequestContext } from '../../../platform/http/context.ts';
import { getArticle, insertArticle } from './staff-service.ts';

const emailPattern = /[^\s@<>()"']+@[^\s@<>()"']+\.[A-Za-z]{2,}/g;
const phonePattern = /\+?\d[\d\s().-]{6,}\d/g;

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Takes the customer out of a text that becomes public: their names and emails (as known to the
 * record and the item), and anything shaped like an email address or a phone number.
 */
export function withoutPersonalData(text: string, names: string[]): string {
  let result = text
    .replace(emailPattern, '[email]')
    .replace(phonePattern, (match) => (match.replace(/\D/g, '').length >= 9 ? '[phone]' : match));
  const words = [...new Set(names.map((name) => name.trim()).filter((name) => name.length >= 2))].sort(
    (a, b) => b.length - a.length,
  );
  for (const name of words) {
    result = result.replace(
      new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, 'giu'),
      'the customer',
    );
  }
  return result.trim();
}

/**
 * A draft article from a resolved or closed item: its subject as the title, the question and
 * the resolution (or, without one, the last reply sent) as the body, with the customer left out.
 */
export async function articleFromItem(ctx: RequestContext, auth: Auth, itemId: string) {
  const id = await ctx.deps.db.transaction().execute(async (tx) => {
    const item = await tx
      .selectFrom('items as i')
      .leftJoin('people as p', 'p.id', 'i.person_id')
      .select([
        'i.id',
        'i.subject',
        'i.body',
        'i.status',
        'i.resolution',
        'i.reporter_name',
        'i.reporter_email',
        'p.display_name',
        'p.given_name',
        'p.family_name',
        'p.nickname',
        'p.email_keys',
      ])
      .where('i.workspace_id', '=', auth.workspaceId)
      .where('i.id', '=', itemId)
      .executeTakeFirst();
    if (!item) throw new AppError('not_found', 'The item was not found.');
    if (item.status !== 'resolved' && item.status !== 'closed') {
      throw new AppError(
        'conflict',
        `Only a resolved or closed item can become an article; this one is ${item.status}.`,
      );
    }
    let answer = item.resolution?.trim() ?? '';
    if (!answer) {
      const reply = await tx
        .selectFrom('item_messages')
        .select('body_text')
        .where('item_id', '=', item.id)
        .where('kind', '=', 'outbound')
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      answer = reply?.body_text.trim() ?? '';
    }
    const names = [
      item.reporter_name,
      item.display_name,
      item.given_name,
      item.family_name,
      item.nickname,
      item.reporter_email,
      ...(item.email_keys ?? []),
    ].filter((name): name is string => typeof name === 'string');
    const scrub = (text: string) => withoutPersonalData(text, names);
    const title = scrub(item.subject).slice(0, 300) || 'Untitled';
    const body = [
      '## The question',
      '',
      scrub(item.body) || '_(no details)_',
      '',
      '## The answer',
      '',
      scrub(answer) || '_(write the answer here)_',
      '',
    ].join('\n');
    return insertArticle(tx, ctx, auth, {
      title,
      body,
      status: 'draft',
      category: null,
      sourceItemId: item.id,
    });
  });
  return getArticle(ctx, auth, id);
}
