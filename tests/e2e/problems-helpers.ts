import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { apiCall } from './people-helpers.ts';

/** Calls the API from the page and fails the test with the server's answer when it is not 2xx. */
export async function apiOk<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const response = await apiCall<T>(page, method, path, body);
  if (response.status < 200 || response.status >= 300)
    throw new Error(`${method} ${path} → ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

export interface PlantedSet {
  categoryId: string;
  linkedIds: string[];
  otherIds: string[];
}

/**
 * The vanilla ice cream: 20 complaints "car won't start" all after buying vanilla, and 50 other
 * trips of the same category of which 11 (22%) bought vanilla. Every item has its own customer
 * with an email address; no acknowledgements, so the outbox holds only what the test sends.
 */
export async function plantIceCreamTrips(page: Page): Promise<PlantedSet> {
  const category = await apiOk<{ id: string }>(page, 'POST', '/api/v1/item-categories', {
    name: "Car won't start",
    observationTemplate: [
      {
        key: 'flavour',
        label: 'Flavour bought',
        type: 'choice',
        choices: ['vanilla', 'chocolate', 'strawberry'],
      },
      { key: 'minutes_parked', label: 'Minutes parked', type: 'number' },
    ],
  });
  const create = (index: number, flavour: string, linked: boolean) =>
    apiOk<{ id: string }>(page, 'POST', '/api/v1/items', {
      kind: 'complaint',
      channel: 'phone',
      subject: linked ? `Car won't start after the ice-cream stop (${index})` : `Trip report ${index}`,
      reporterName: `${linked ? 'Driver' : 'Tripper'} ${index}`,
      reporterEmail: `${linked ? 'driver' : 'tripper'}${index}@example.com`,
      categoryId: category.id,
      priority: 'normal',
      acknowledge: false,
      observations: [
        { key: 'flavour', value: flavour },
        { key: 'minutes_parked', value: linked ? 4 : 4 + (index % 3) },
      ],
    });
  const linkedIds: string[] = [];
  for (let index = 1; index <= 20; index++) linkedIds.push((await create(index, 'vanilla', true)).id);
  const otherIds: string[] = [];
  for (let index = 1; index <= 50; index++) {
    const flavour = index <= 11 ? 'vanilla' : index % 2 === 0 ? 'chocolate' : 'strawberry';
    otherIds.push((await create(index, flavour, false)).id);
  }
  expect(linkedIds).toHaveLength(20);
  return { categoryId: category.id, linkedIds, otherIds };
}

export interface OutboxRow {
  id: string;
  to: string;
  subject: string;
  text: string;
}

/** Every outbox message of the workspace (all pages). */
export async function outbox(page: Page): Promise<OutboxRow[]> {
  const rows: OutboxRow[] = [];
  let after: string | null = null;
  do {
    const path: string = `/api/v1/outbox?limit=200${after ? `&after=${encodeURIComponent(after)}` : ''}`;
    const body: { data: OutboxRow[]; next: string | null } = await apiOk(page, 'GET', path);
    rows.push(...body.data);
    after = body.next;
  } while (after);
  return rows;
}
