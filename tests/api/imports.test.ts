import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { fixture, importFile, peopleOf, upload } from './import-helpers.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field.
const byName = (people: any[], name: string): any => people.find((p) => p.displayName === name);

describe('preview', () => {
  it('recognises Google Contacts headers and suggests a mapping', async () => {
    const response = await upload(
      t,
      admin.client,
      '/api/v1/imports/preview',
      {},
      {
        name: 'contacts.csv',
        content: fixture('google-contacts.csv'),
      },
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({
      format: 'csv',
      encoding: 'utf-8',
      delimiter: ',',
      preset: 'google',
    });
    const mapping = Object.fromEntries(
      response.body.headers.map((header: string, i: number) => [header, response.body.suggestedMapping[i]]),
    );
    expect(mapping).toMatchObject({
      'First Name': 'givenName',
      'E-mail 1 - Value': 'email#1',
      'E-mail 1 - Label': 'email#1.label',
      'Organization Name': 'organization',
      'Address 1 - City': 'address#1.city',
    });
    expect(response.body.sampleRows).toHaveLength(4);
  });

  it('detects Outlook and HubSpot, delimiter and encodings', async () => {
    const outlook = await upload(
      t,
      admin.client,
      '/api/v1/imports/preview',
      {},
      {
        name: 'outlook.csv',
        content: fixture('outlook.csv'),
      },
    );
    expect(outlook.body.preset).toBe('outlook');
    const hubspot = await upload(
      t,
      admin.client,
      '/api/v1/imports/preview',
      {},
      {
        name: 'x.csv',
        content: fixture('hubspot.csv'),
      },
    );
    expect(hubspot.body.preset).toBe('hubspot');
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('Vorname;Nachname;E-Mail\nJürgen;Müller;j@example.de\n', 'utf16le'),
    ]);
    const german = await upload(
      t,
      admin.client,
      '/api/v1/imports/preview',
      {},
      { name: 'de.csv', content: utf16 },
    );
    expect(german.body).toMatchObject({
      encoding: 'utf-16le',
      delimiter: ';',
      sampleRows: [['Jürgen', 'Müller', 'j@example.de']],
    });
    const cp1252 = Buffer.from('name\temail\nRenée Français\trenee@example.fr\n', 'latin1');
    const french = await upload(
      t,
      admin.client,
      '/api/v1/imports/preview',
      {},
      { name: 'fr.txt', content: cp1252 },
    );
    expect(french.body).toMatchObject({
      encoding: 'windows-1252',
      delimiter: '\t',
      sampleRows: [['Renée Français', 'renee@example.fr']],
    });
  });

  it('refuses an empty file and 10,000 columns with a clear message', async () => {
    const empty = await upload(
      t,
      admin.client,
      '/api/v1/imports/preview',
      {},
      { name: 'empty.csv', content: '' },
    );
    expect(empty.status).toBe(422);
    expect(empty.body.detail).toMatch(/empty/);
    const wide = Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',');
    const response = await upload(
      t,
      admin.client,
      '/api/v1/imports',
      {},
      { name: 'wide.csv', content: `${wide}\n` },
    );
    expect(response.status).toBe(422);
    expect(response.body.detail).toMatch(/10000 columns; at most 1000/);
  });

  it('answers 415 without multipart and 400 without a file', async () => {
    expect((await admin.client.post('/api/v1/imports', { file: 'x' })).status).toBe(415);
    const noFile = await upload(t, admin.client, '/api/v1/imports', { format: 'csv' });
    expect(noFile.status).toBe(400);
  });
});

describe('importing real-world exports', () => {
  it('imports a Google Contacts CSV with labels, tags, organizations and row errors', async () => {
    const report = await importFile(t, admin.client, {
      name: 'google.csv',
      content: fixture('google-contacts.csv'),
    });
    expect(report).toMatchObject({
      status: 'done',
      total: 4,
      created: 3,
      failed: 1,
      organizationsCreated: 2,
    });
    expect(report.errors).toEqual(
      expect.arrayContaining([
        {
          row: 5,
          severity: 'error',
          message: expect.stringMatching(
            /^Email 1: "not-an-email" is not an email address \(such as ana@example\.com\)\.$/,
          ),
        },
        { row: 3, severity: 'warning', message: expect.stringMatching(/no year/) },
      ]),
    );
    const people = await peopleOf(admin.client);
    const ana = byName(people, 'Ana García');
    expect(ana).toMatchObject({
      nickname: 'Anita',
      jobTitle: 'Buyer',
      birthday: '1985-04-12',
      notes: 'Met at the fair.\nLikes tea.',
      tags: ['friends', 'vip'],
      emails: [
        { value: 'ana.garcia@acme.example', label: 'work', primary: true },
        { value: 'ana@home.example', label: 'home', primary: false },
      ],
      phones: [{ e164: '+34612345678', label: 'mobile' }],
      addresses: [
        { street: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'Spain', label: 'work' },
      ],
      websites: [{ value: 'https://ana.example' }],
    });
    expect(ana.organizationId).toBeTruthy();
    const bjorn = byName(people, 'Björn Ødegård');
    expect(bjorn.phones.map((p: { e164: string }) => p.e164)).toEqual(['+4722123456', '+4722123457']);
    expect(byName(people, '小龙李')).toBeTruthy();
    const download = await admin.client.get(`/api/v1/imports/${report.id}/errors.csv`);
    expect(download.headers['content-disposition']).toMatch(/attachment/);
    expect(download.body).toMatch(/^\ufeffrow,severity,message\r\n3,warning,/);
    expect(download.body).toMatch(/5,error,/);
  });

  it('imports Outlook and HubSpot exports', async () => {
    const outlook = await importFile(t, admin.client, {
      name: 'outlook.csv',
      content: fixture('outlook.csv'),
    });
    expect(outlook).toMatchObject({ status: 'done', created: 2, failed: 0 });
    const hubspot = await importFile(t, admin.client, {
      name: 'hubspot.csv',
      content: fixture('hubspot.csv'),
    });
    expect(hubspot, JSON.stringify(hubspot.errors)).toMatchObject({ status: 'done', created: 3, failed: 0 });
    const people = await peopleOf(admin.client);
    expect(byName(people, 'John Q Public Jr.')).toMatchObject({
      prefix: 'Mr.',
      birthday: '1980-03-15',
      tags: ['customers', 'golf'],
      phones: [
        { e164: '+14255550100', label: 'work' },
        { e164: '+14255550199', label: 'mobile' },
      ],
      emails: [{ value: 'john.public@contoso.example' }, { value: 'jqp@home.example' }],
      addresses: [{ street: '1 Microsoft Way\nBuilding 4', city: 'Redmond', label: 'work' }],
    });
    expect(byName(people, 'Mary Major')?.birthday).toBeNull();
    expect(byName(people, 'Grace Hopper')).toMatchObject({
      stage: 'customer',
      emails: [
        { value: 'grace@navy.example' },
        { value: 'ghopper@personal.example' },
        { value: 'grace.h@old.example' },
      ],
    });
    expect(byName(people, 'Alan Turing')?.stage).toBe('advocate');
    expect(byName(people, 'Ada Lovelace')?.stage).toBe('prospect');
  });

  it('imports iPhone vCards: item labels; photos and unknown properties reported', async () => {
    const report = await importFile(t, admin.client, { name: 'iphone.vcf', content: fixture('iphone.vcf') });
    expect(report).toMatchObject({ status: 'done', format: 'vcard', total: 2, failed: 0 });
    expect(report.errors).toEqual([
      { row: 1, severity: 'warning', message: expect.stringMatching(/photo was not imported/) },
      {
        row: 1,
        severity: 'warning',
        message: 'X-UNKNOWN-THING: Rapport has no field for this, not imported.',
      },
      {
        row: 2,
        severity: 'warning',
        message:
          'Skipped: Ada Lovelace is already in Rapport with this email (import with "Update the person" to add this row\'s details).',
      },
    ]);
    const people = await peopleOf(admin.client, '&q=Appleseed');
    expect(people[0]).toMatchObject({
      displayName: 'Johnny Appleseed',
      jobTitle: 'Orchard Keeper',
      birthday: '1974-09-26',
      notes: 'Planted trees, many of them.\nSecond line.',
      emails: [
        { value: 'johnny@apple.example', label: 'other', primary: true },
        { value: 'jappleseed@work.example', label: 'Orchard', primary: false },
      ],
      phones: [
        { e164: '+14085550101', label: 'mobile', primary: true },
        { e164: '+14085550102', label: 'Barn' },
      ],
      addresses: [{ street: '1 Infinite Loop', city: 'Cupertino', label: 'home' }],
      websites: [{ value: 'https://apple.example/johnny', label: 'homepage' }],
      importantDates: [{ label: 'anniversary', date: '2010-09-01' }],
      social: [{ service: 'twitter', handle: 'johnnyapple' }],
    });
  });

  it('imports Android vCards 2.1 with quoted-printable and a truncated last card', async () => {
    const report = await importFile(t, admin.client, {
      name: 'android.vcf',
      content: fixture('android.vcf'),
    });
    expect(report).toMatchObject({ status: 'done', total: 3, created: 3, failed: 0 });
    expect(report.errors).toEqual([
      {
        row: 2,
        severity: 'warning',
        message: 'X-ANDROID-CUSTOM: Rapport has no field for this, not imported.',
      },
      { row: 3, severity: 'warning', message: expect.stringMatching(/ends before END:VCARD/) },
    ]);
    const people = await peopleOf(admin.client);
    expect(byName(people, 'Jürgen Müller')).toMatchObject({
      notes: 'Erste Zeile\r\nZweite Zeile mit äöü',
      phones: [{ e164: '+4915123456789', label: 'mobile', primary: true }, { label: 'work' }],
    });
    expect(byName(people, 'Tom Truncated')).toMatchObject({
      emails: [{ value: 'tom@trunc.example', label: null, primary: true }],
      notes: 'Half a no',
    });
  });

  it('reports a broken quote and imports the other rows', async () => {
    const report = await importFile(t, admin.client, {
      name: 'broken.csv',
      content: fixture('broken-quote.csv'),
    });
    expect(report).toMatchObject({ status: 'done', created: 2, failed: 1 });
    expect(report.errors[0]).toMatchObject({
      row: 2,
      severity: 'error',
      message: expect.stringMatching(/never closed/),
    });
  });
});
