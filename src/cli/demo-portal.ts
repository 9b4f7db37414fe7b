/**
 * The demo portal: knowledge-base articles with a year of "Did this answer your question?"
 * answers (so deflection has history), suggestions on the board with statuses and responses,
 * customers' terms, and a few intentcasts. Written straight to the tables, like the rest of the
 * demo data.
 */
import { sql } from 'kysely';
import { type AuditContext, audit } from '../platform/audit.ts';
import type { Tx } from '../platform/db/database.ts';
import { defaultTerms, type Terms } from '../shared/portal.ts';
import { seededRandom } from './demo-data.ts';
import { insertAll } from './demo-listening-extras.ts';
import { idAt } from './listening-lifecycle.ts';

const DAY = 86_400_000;

const articles: { title: string; category: string; body: string }[] = [
  {
    title: 'How do I download an invoice?',
    category: 'Billing',
    body: 'Open **My account → Invoices** and press *Download* next to the invoice.\n\nInvoices are PDF files. If one looks empty, try another browser and tell us if it still does.',
  },
  {
    title: 'Changing the card you pay with',
    category: 'Billing',
    body: 'Go to **My account → Payment** and choose *Replace card*. The new card is used from the next invoice on.',
  },
  {
    title: 'How refunds work',
    category: 'Billing',
    body: 'Refunds go back to the card you paid with within **5 working days**.\n\n- Partial refunds show as a separate line.\n- Bank transfers take up to 10 days.',
  },
  {
    title: 'Where is my order?',
    category: 'Orders',
    body: 'Every order has a tracking link in its confirmation mail. Orders leave our store within two working days.',
  },
  {
    title: 'Returning an item',
    category: 'Orders',
    body: 'You may return anything within **30 days**. Print the return label from the order page and drop the parcel at any post office.',
  },
  {
    title: 'Resetting your password',
    category: 'Account',
    body: 'Use *Forgot password* on the sign-in page. The link in the mail works for one hour.',
  },
  {
    title: 'Keeping ice cream cold on the way home',
    category: 'Product',
    body: 'Ask for an insulated bag at the counter; it keeps ice cream frozen for about **45 minutes**.',
  },
  {
    title: 'Opening hours over the holidays',
    category: 'Stores',
    body: 'Our stores close at 16:00 on 24 and 31 December and are closed on 25 December and 1 January.',
  },
];

const boardPlan: { status: 'under_review' | 'planned' | 'done' | 'declined'; response: string | null }[] = [
  { status: 'planned', response: 'Planned for the spring release. Thank you for asking!' },
  { status: 'under_review', response: null },
  { status: 'done', response: 'Done: it shipped in March. Tell us how it works for you.' },
  { status: 'declined', response: 'We will not do this: it would make checkout slower for everyone.' },
  { status: 'under_review', response: null },
  { status: 'planned', response: 'On the list for the summer.' },
];

export async function seedPortal(tx: Tx, context: AuditContext, workspaceId: string, now = Date.now()) {
  const existing = await tx
    .selectFrom('kb_articles')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .limit(1)
    .executeTakeFirst();
  if (existing) return null;
  const random = seededRandom(6006);
  const people = await tx
    .selectFrom('people')
    .select(['id', 'emails'])
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .limit(60)
    .execute();
  const author = await tx
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'manager')
    .executeTakeFirst();

  await tx
    .insertInto('portal_settings')
    .values({
      workspace_id: workspaceId,
      welcome:
        'Ask us anything, follow your requests and tell us what to make better. A person answers every message.',
      public_suggestions: true,
      updated_at: new Date(now),
    })
    .onConflict((conflict) => conflict.column('workspace_id').doNothing())
    .execute();
  await audit(tx, context, {
    action: 'portal.settings_updated',
    entity: 'portal_settings',
    entityId: workspaceId,
  });

  const articleRows = articles.map((article, index) => {
    const created = now - (360 - index * 20) * DAY;
    return {
      id: idAt(created, random),
      workspace_id: workspaceId,
      title: article.title,
      body: article.body,
      category: article.category,
      status: 'published',
      created_by: author?.id ?? null,
      created_at: new Date(created).toISOString(),
      updated_at: new Date(created).toISOString(),
      published_at: new Date(created).toISOString(),
    };
  });
  await insertAll(tx, 'kb_articles', articleRows);
  for (const article of articleRows) {
    await audit(tx, context, {
      action: 'article.created',
      entity: 'kb_article',
      entityId: article.id,
      after: { title: article.title },
    });
  }

  // A year of answers: most articles help; "Keeping ice cream cold" does not (it gets flagged).
  const feedback: Record<string, unknown>[] = [];
  for (let day = 360; day > 0; day -= 2) {
    const article = articleRows[random.int(articleRows.length)]!;
    if (new Date(article.created_at).getTime() > now - day * DAY) continue;
    const unhelpful = article.title.startsWith('Keeping');
    feedback.push({
      id: idAt(now - day * DAY, random),
      workspace_id: workspaceId,
      article_id: article.id,
      person_id: people.length > 0 ? people[random.int(people.length)]!.id : null,
      session_id: null,
      helpful: unhelpful ? random.next() < 0.2 : random.next() < 0.75,
      context: random.next() < 0.6 ? 'before_submit' : 'browse',
      created_at: new Date(now - day * DAY).toISOString(),
    });
  }
  if (feedback.length > 0) await insertAll(tx, 'kb_feedback', feedback);
  await sql`update kb_articles a set
      helpful_yes = (select count(*) from kb_feedback f where f.article_id = a.id and f.helpful),
      helpful_no = (select count(*) from kb_feedback f where f.article_id = a.id and not f.helpful),
      views = 3 * (select count(*) from kb_feedback f where f.article_id = a.id) + 5
    where a.workspace_id = ${workspaceId}`.execute(tx);

  // The most voted suggestions go on the board.
  const suggestions = await tx
    .selectFrom('items')
    .select(['id'])
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', 'suggestion')
    .where('merged_into_id', 'is', null)
    .orderBy('vote_count', 'desc')
    .orderBy('id')
    .limit(boardPlan.length)
    .execute();
  for (const [index, suggestion] of suggestions.entries()) {
    const plan = boardPlan[index]!;
    await tx
      .updateTable('items')
      .set({
        board_status: plan.status,
        board_response: plan.response,
        board_updated_at: new Date(now - index * 9 * DAY),
      })
      .where('id', '=', suggestion.id)
      .execute();
    await audit(tx, context, {
      action: 'suggestion.board_updated',
      entity: 'item',
      entityId: suggestion.id,
      after: { boardStatus: plan.status },
    });
  }

  // Terms: a third of the customers set theirs; some allow product news monthly, few marketing.
  const termsRows = people
    .filter((_, index) => index % 3 === 0)
    .map((person, index) => {
      const terms: Terms = structuredClone(defaultTerms);
      terms.purposes.product_news = index % 2 === 0;
      terms.frequency.product_news = 'monthly';
      terms.purposes.marketing = index % 5 === 0;
      terms.frequency.marketing = 'quarterly';
      terms.purposes.research = index % 4 === 0;
      terms.channels.sms = index % 6 === 0;
      return {
        id: idAt(now - (200 - index) * DAY, random),
        workspace_id: workspaceId,
        person_id: person.id,
        version: 1,
        terms,
        set_by: 'customer',
        created_at: new Date(now - (200 - index) * DAY).toISOString(),
      };
    });
  if (termsRows.length > 0) await insertAll(tx, 'person_terms', termsRows);

  const wants = [
    ['A family car seat that fits a small hatchback', 150, 300, 'EUR'],
    ['Ice cream for a wedding of 120 guests', 400, 900, 'EUR'],
    ['A gift card for my team, about 20 people', 500, 1000, 'EUR'],
  ] as const;
  const intentRows = wants
    .slice(0, Math.min(wants.length, people.length))
    .map(([what, min, max, currency], index) => ({
      id: idAt(now - (10 + index * 7) * DAY, random),
      workspace_id: workspaceId,
      person_id: people[index * 2]!.id,
      what,
      budget_min: min,
      budget_max: max,
      currency,
      wanted_by: new Date(now + (30 + index * 15) * DAY).toISOString().slice(0, 10),
      channel: index === 1 ? 'phone' : 'portal',
      status: 'open',
      created_at: new Date(now - (10 + index * 7) * DAY).toISOString(),
      updated_at: new Date(now - (10 + index * 7) * DAY).toISOString(),
    }));
  if (intentRows.length > 0) await insertAll(tx, 'intents', intentRows);
  await audit(tx, context, {
    action: 'portal.demo_seeded',
    entity: 'workspace',
    entityId: workspaceId,
    after: { feedback: feedback.length, terms: termsRows.length, intents: intentRows.length },
  });
  return {
    articles: articleRows.length,
    board: suggestions.length,
    feedback: feedback.length,
    terms: termsRows.length,
    intents: intentRows.length,
  };
}
