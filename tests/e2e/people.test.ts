import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, startHarness } from './harness.ts';
import { apiCall, heading, setUpWorkspace, shot } from './people-helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.stop();
});

test('people journey: create, edit, custom fields, conflict, log a call, search, organization, import, merge and undo', async () => {
  const context = await harness.browser.newContext({
    baseURL: harness.url,
    viewport: { width: 1400, height: 900 },
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await setUpWorkspace(page);

  // A new workspace: the people list offers to add or import.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'People', exact: true })
    .click();
  await heading(page, 'People');
  await page.getByRole('heading', { name: 'No people yet' }).waitFor();
  await shot(page, 'people-01-empty');

  // Create a person with the keyboard shortcut.
  await page.keyboard.press('n');
  const modal = page.getByRole('dialog', { name: 'New person' });
  await modal.getByLabel('Given name').fill('Marguerite');
  await modal.getByLabel('Family name').fill('Duras');
  await modal.getByLabel('Email').fill('not-an-email');
  await modal.getByRole('button', { name: 'Create person' }).click();
  await modal.getByText(/is not an email address/).waitFor();
  await shot(page, 'people-02-new-person-error');
  await modal.getByLabel('Email').fill('Marguerite@Example.com');
  await modal.getByLabel('Phone').fill('+33 1 42 68 53 00');
  await modal.getByLabel('Tags').fill('author');
  await modal.getByLabel('Tags').press('Enter');
  await modal.getByRole('button', { name: 'Create person' }).click();

  // The person page: edit the job title and save.
  await heading(page, 'Marguerite Duras');
  const personId = page.url().split('/').pop() ?? '';
  await page.getByLabel('Job title').fill('Novelist');
  await page.getByRole('region', { name: 'Unsaved changes' }).waitFor();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Novelist', { exact: true }).first().waitFor();
  await expect
    .poll(
      async () =>
        (await apiCall<{ jobTitle: string }>(page, 'GET', `/api/v1/people/${personId}`)).body.jobTitle,
    )
    .toBe('Novelist');
  await shot(page, 'people-03-person', true);

  // A 422 lands on the right input.
  await page.getByRole('button', { name: 'Add phone' }).click();
  await page.getByLabel('Phones 2').fill('12');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect.poll(() => page.getByLabel('Phones 2').getAttribute('aria-invalid')).toBe('true');
  await page.getByText('Check the highlighted fields.').waitFor();
  await shot(page, 'people-03b-field-error');
  await page.getByRole('button', { name: 'Remove phone 2' }).click();

  // Custom fields defined for the workspace get the right input on the person page.
  for (const field of [
    { entity: 'person', label: 'Favourite genre', type: 'select', options: ['Novel', 'Poetry'] },
    { entity: 'person', label: 'Books written', type: 'number' },
    { entity: 'person', label: 'Newsletter', type: 'checkbox' },
  ]) {
    expect((await apiCall(page, 'POST', '/api/v1/custom-fields', field)).status).toBe(201);
  }
  await page.reload();
  await heading(page, 'Marguerite Duras');
  await page.getByRole('combobox', { name: 'Favourite genre' }).click();
  await page.getByRole('option', { name: 'Novel' }).click();
  await page.getByLabel('Books written').fill('34');
  await page.getByLabel('Newsletter').check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect
    .poll(
      async () =>
        (await apiCall<{ customFields: unknown }>(page, 'GET', `/api/v1/people/${personId}`)).body
          .customFields,
    )
    .toEqual({ favourite_genre: 'Novel', books_written: 34, newsletter: true });

  // A photo: uploaded from the avatar menu, resized by the server, shown in the header.
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  await page.getByRole('button', { name: 'Change photo' }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('menuitem', { name: 'Upload a photo…' }).click();
  await (await chooser).setFiles({ name: 'face.png', mimeType: 'image/png', buffer: png });
  await page.getByText('Photo updated.').waitFor();
  await page.getByRole('img', { name: 'Photo of Marguerite Duras' }).waitFor();

  // Notes in Markdown, with a preview and the history of earlier versions.
  const notes = page.getByRole('textbox', { name: 'Notes' });
  await notes.fill('Met at the **book fair**.');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('region', { name: 'Unsaved changes' }).waitFor({ state: 'hidden' });
  await notes.fill('Met at the **book fair**.\n\n- wants a signed copy\n- [site](https://example.com)');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('region', { name: 'Unsaved changes' }).waitFor({ state: 'hidden' });
  await page.getByText('Preview', { exact: true }).click();
  await page.locator('b', { hasText: 'book fair' }).first().waitFor();
  await page.getByRole('link', { name: 'site' }).waitFor();
  await page.getByRole('button', { name: 'History' }).click();
  const drawer = page.getByRole('dialog', { name: 'Notes history' });
  await drawer.getByText('wants a signed copy').waitFor();
  await expect.poll(() => drawer.getByText(/book fair/).count()).toBe(2);
  await shot(page, 'people-03c-notes-history');
  await page.keyboard.press('Escape');
  await page.getByText('Write', { exact: true }).click();

  // Someone else saves meanwhile: the next save is refused and nothing is overwritten.
  const current = await apiCall<{ version: number }>(page, 'GET', `/api/v1/people/${personId}`);
  const other = await apiCall(page, 'PATCH', `/api/v1/people/${personId}`, {
    pronouns: 'she/her',
    version: current.body.version,
  });
  expect(other.status).toBe(200);
  await page.getByLabel('Source').fill('Book fair');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page
    .getByText('Someone else saved this person; reload to see their changes', { exact: false })
    .first()
    .waitFor();
  await shot(page, 'people-04-conflict');
  await page.getByRole('button', { name: 'Reload' }).first().click();
  await expect.poll(() => page.getByLabel('Pronouns').inputValue()).toBe('she/her');
  expect(await page.getByLabel('Source').inputValue()).toBe('');

  // Leaving the page with unsaved changes asks first; staying keeps them.
  await page.getByLabel('Source').fill('Library');
  const leaving = page.waitForEvent('dialog');
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'People', exact: true })
    .click();
  const warning = await leaving;
  expect(warning.message()).toContain('This person has unsaved changes');
  await warning.dismiss();
  expect(page.url()).toContain(`/people/${personId}`);
  expect(await page.getByLabel('Source').inputValue()).toBe('Library');
  await page.getByRole('button', { name: 'Discard' }).click();
  await expect.poll(() => page.getByLabel('Source').inputValue()).toBe('');

  // Log a call from her page; it shows on her timeline.
  await page.getByRole('main').getByRole('button', { name: 'Log interaction' }).click();
  const logModal = page.getByRole('dialog', { name: 'Log an interaction' });
  await logModal.getByLabel('Summary').fill('Called about the new novel');
  await shot(page, 'people-04b-log-call');
  await logModal.getByRole('button', { name: 'Save' }).click();
  await logModal.waitFor({ state: 'hidden' });
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await page.getByText('Called about the new novel').first().waitFor();
  await shot(page, 'people-04c-timeline');

  // Find her with a misspelt part of her name in the "/" search.
  await page.goto('/');
  await heading(page, /Welcome/);
  await page.keyboard.press('/');
  await page.keyboard.type('Margerite');
  const option = page.getByRole('option', { name: 'Marguerite Duras' });
  await option.waitFor();
  await shot(page, 'people-05-search');
  await page.keyboard.press('Enter');
  await heading(page, 'Marguerite Duras');

  // An organization with a person working there.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organizations' }).click();
  await heading(page, 'Organizations');
  await page.getByRole('button', { name: 'New organization' }).click();
  const orgModal = page.getByRole('dialog', { name: 'New organization' });
  await orgModal.getByLabel('Name').fill('Éditions de Minuit');
  await orgModal.getByRole('button', { name: 'Create organization' }).click();
  await heading(page, 'Éditions de Minuit');
  const orgId = page.url().split('/').pop() ?? '';
  const v = await apiCall<{ version: number }>(page, 'GET', `/api/v1/people/${personId}`);
  await apiCall(page, 'PATCH', `/api/v1/people/${personId}`, {
    organizationId: orgId,
    version: v.body.version,
  });
  await page.reload();
  await page.getByRole('link', { name: 'Marguerite Duras' }).waitFor();
  await shot(page, 'organization-01');

  // Import a CSV whose French headers need a column mapping: dry run first, then the import.
  await page.goto('/people/import');
  await heading(page, 'Import people');
  const csv =
    'Prénom;Nom;Courriel;Portable;Maison;Livres\n' +
    'Jean;Echenoz;jean@example.com;+33 6 12 34 56 78;Éditions de Minuit;19\n' +
    'Marie;NDiaye;marie@example.com;+33 6 98 76 54 32;Gallimard;25\n';
  await page
    .locator('input[type=file]')
    .setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('table', { name: 'Column mapping' }).waitFor();
  await page.getByLabel('Field for column Prénom').selectOption('givenName');
  await page.getByLabel('Field for column Nom').selectOption('familyName');
  await page.getByLabel('Field for column Courriel').selectOption('email');
  await page.getByLabel('Field for column Portable').selectOption('phone:mobile');
  await page.getByLabel('Field for column Maison').selectOption('organization');
  // The workspace's own custom fields are offered by their label.
  await page.getByLabel('Field for column Livres').selectOption({ label: 'Custom field: Books written' });
  await shot(page, 'people-10-import-mapping', true);
  await page.getByRole('button', { name: 'Dry run' }).click();
  await page.getByLabel('Would create: 2').waitFor();
  expect(
    (await apiCall<{ data: unknown[] }>(page, 'GET', '/api/v1/people?q=Echenoz')).body.data,
  ).toHaveLength(0);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByLabel('Created: 2').waitFor({ timeout: 60_000 });
  await shot(page, 'people-11-import-done', true);
  const imported = await apiCall<{ data: { displayName: string; organizationId: string | null }[] }>(
    page,
    'GET',
    `/api/v1/people?organizationId=${orgId}`,
  );
  expect(imported.body.data.map((person) => person.displayName).sort()).toEqual([
    'Jean Echenoz',
    'Marguerite Duras',
  ]);
  const jean = await apiCall<{ data: { customFields: Record<string, unknown> }[] }>(
    page,
    'GET',
    '/api/v1/people?q=Echenoz',
  );
  expect(jean.body.data[0]?.customFields).toEqual({ books_written: 19 });

  // A second record of Jean with the same email shows up as a duplicate; merge it, then undo.
  const twin = await apiCall<{ id: string }>(page, 'POST', '/api/v1/people', {
    givenName: 'J.',
    familyName: 'Echenoz',
    emails: [{ value: 'JEAN@example.com' }],
    tags: ['author'],
  });
  expect(twin.status).toBe(201);
  await page.goto('/people/duplicates');
  await heading(page, 'Duplicates');
  const pair = page.getByRole('article', { name: /Possible duplicate: .*Echenoz.* and .*Echenoz/ });
  await pair.waitFor();
  await shot(page, 'people-12-duplicates');
  await pair.getByRole('button', { name: /Compare and merge/ }).click();
  const mergeDialog = page.getByRole('dialog', { name: 'Merge duplicates' });
  await mergeDialog.getByRole('button', { name: /^Merge into / }).click();
  await mergeDialog.getByRole('button', { name: 'Confirm merge' }).click();
  await page.getByText(/^Merged .* into .*Echenoz/).waitFor();
  await expect
    .poll(async () => (await apiCall(page, 'GET', `/api/v1/people/${twin.body.id}`)).status)
    .not.toBe(200);
  await shot(page, 'people-13-merged');
  await page
    .getByRole('alert')
    .getByRole('button', { name: 'Undo' })
    .or(page.getByRole('button', { name: 'Undo', exact: true }))
    .first()
    .click();
  await page.getByText(/^Merge undone: /).waitFor();
  expect((await apiCall(page, 'GET', `/api/v1/people/${twin.body.id}`)).status).toBe(200);

  // Deleted, and restored once the Undo toast is long gone: its page, then Recently deleted.
  const deleted = await apiCall(page, 'POST', '/api/v1/people/bulk', {
    action: 'delete',
    ids: [twin.body.id],
  });
  expect(deleted.status).toBe(200);
  await page.goto(`/people/${twin.body.id}`);
  await heading(page, /Echenoz was deleted/);
  await page.goto('/people/deleted');
  await heading(page, 'Recently deleted');
  await page.getByRole('button', { name: /^Restore .*Echenoz/ }).click();
  await page.getByText(/Echenoz restored\./).waitFor();
  expect((await apiCall(page, 'GET', `/api/v1/people/${twin.body.id}`)).status).toBe(200);

  // Narrow screens: the person page and the search still work.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/people/${personId}`);
  await heading(page, 'Marguerite Duras');
  await shot(page, 'people-09-person-narrow', true);

  expect(pageErrors).toEqual([]);
  await context.close();
}, 300_000);
