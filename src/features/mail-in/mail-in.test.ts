import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import {
  attachmentDisposition,
  downloadContentType,
  safeFilename,
  screenAttachments,
} from './attachments.ts';
import { automatedReason, guessKind } from './classify.ts';
import { sanitizeMailHtml, trimQuotedHistory, withoutRemoteImages } from './content.ts';

const parse = (headers: string, body = 'Hello') => simpleParser(Buffer.from(`${headers}\r\n\r\n${body}`));

describe('guessing the kind of a new mail', () => {
  it.each([
    ['My order arrived broken', 'I want a refund.', 'complaint'],
    ['Thanks!', 'Excellent service, well done to the team.', 'praise'],
    ['An idea', 'It would be nice if the app had a dark mode.', 'suggestion'],
    ['Cancel my subscription', 'Please cancel my plan from next month.', 'request'],
    ['Opening hours', 'When will the shop open on Sunday?', 'question'],
    ['Hello', 'I drove past your shop today.', 'opinion'],
    // Thanks in a complaint does not make it praise: ties go to the complaint.
    ['Broken again', 'Thanks for nothing, it is broken.', 'complaint'],
  ])('%s → %s', (subject, body, kind) => {
    expect(guessKind(subject, body)).toBe(kind);
  });
});

describe('recognising machine mail', () => {
  it('names the reason for bounces, auto-replies, lists and our own mail', async () => {
    const from = 'From: ada@example.com';
    expect(automatedReason(await parse(from), '')).toMatch(/empty return path/);
    expect(automatedReason(await parse(`${from}\r\nAuto-Submitted: auto-generated`), 'a@b.c')).toMatch(
      /Auto-Submitted: auto-generated/,
    );
    expect(automatedReason(await parse(`${from}\r\nAuto-Submitted: no`), 'a@b.c')).toBeNull();
    expect(automatedReason(await parse(`${from}\r\nPrecedence: junk`), 'a@b.c')).toMatch(/junk/);
    expect(automatedReason(await parse(`${from}\r\nPrecedence: first-class`), 'a@b.c')).toBeNull();
    expect(automatedReason(await parse(`${from}\r\nX-Autorespond: yes`), 'a@b.c')).toMatch(/x-autorespond/);
    expect(automatedReason(await parse(`${from}\r\nX-Failed-Recipients: x@y.z`), 'a@b.c')).toMatch(/failed/);
    expect(automatedReason(await parse(`${from}\r\nX-Rapport-Outbox-Id: 1`), 'a@b.c')).toMatch(/loop/);
    expect(automatedReason(await parse('From: Mailer-Daemon@mx.example.com'), 'a@b.c')).toMatch(/bounce/);
    expect(automatedReason(await parse(from), 'ada@example.com')).toBeNull();
  });
});

describe('the text of an answer', () => {
  it('drops the quoted history below the new part', () => {
    expect(trimQuotedHistory('Yes please.\n\nOn Tue, 1 Dec 2026, Acme <a@b.c> wrote:\n> Shall we?\n')).toBe(
      'Yes please.',
    );
    expect(trimQuotedHistory('Fine.\r\n-----Original Message-----\r\nFrom: x')).toBe('Fine.');
    expect(trimQuotedHistory('See below.\n\nFrom: Acme <a@b.c>\nSent: Monday\nSubject: x')).toBe(
      'See below.',
    );
    expect(trimQuotedHistory('Done.\n> earlier\n> lines\n')).toBe('Done.');
    // Inline answers between quotes are kept; a "From:" in the text is not a quote header.
    expect(trimQuotedHistory('> Q1\nA1\n> Q2\nA2')).toBe('> Q1\nA1\n> Q2\nA2');
    expect(trimQuotedHistory('From: my side, all good.')).toBe('From: my side, all good.');
    // Nothing new: the whole text stays.
    expect(trimQuotedHistory('> only a quote')).toBe('> only a quote');
  });
});

describe('HTML of a mail', () => {
  it('keeps formatting and links, removes anything active, and remote images on demand', () => {
    const safe = sanitizeMailHtml(
      '<div style="x" onmouseover="x()"><b>Hi</b><svg onload="x()"></svg><form><input></form>' +
        '<img src="http://plain.example.com/a.png"><img src="https://cdn.example.com/b.png">' +
        '<img src="data:image/svg+xml;base64,PHN2Zz4="><img src="data:image/png;base64,iVBORw0KGgo=">' +
        '<a href="https://example.com" onclick="y()">ok</a><a href="vbscript:x">bad</a></div>',
    );
    expect(safe).not.toMatch(
      /onmouseover|onload|onclick|<svg|<form|<input|style=|http:\/\/plain|svg\+xml|vbscript/,
    );
    expect(safe).toContain('<b>Hi</b>');
    expect(safe).toContain('https://cdn.example.com/b.png');
    expect(safe).toContain('data:image/png;base64');
    expect(safe).toContain('rel="noopener noreferrer nofollow"');
    const shown = withoutRemoteImages(safe);
    expect(shown).not.toContain('cdn.example.com');
    expect(shown).toContain('data:image/png;base64');
  });
});

describe('attachments', () => {
  it('file names are safe for a Content-Disposition header whatever comes in', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (name) => {
        const safe = safeFilename(name);
        expect(safe.length).toBeGreaterThan(0);
        expect(safe.length).toBeLessThanOrEqual(200);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is that none get through
        expect(safe).not.toMatch(/[\u0000-\u001f\u007f"\\/<>:|?*;]/);
        expect(safe.startsWith('.')).toBe(false);
        const header = attachmentDisposition(safe);
        expect(header).toMatch(
          /^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%!'()*._~-]*$/,
        );
      }),
    );
    expect(safeFilename('../../etc/passwd')).toBe('passwd');
    expect(safeFilename('C:\\temp\\.bashrc')).toBe('bashrc');
  });

  it('only serves allow-listed types as themselves', () => {
    expect(downloadContentType('application/pdf')).toBe('application/pdf');
    expect(downloadContentType('IMAGE/PNG; name=x')).toBe('image/png');
    expect(downloadContentType('text/html')).toBe('application/octet-stream');
    expect(downloadContentType('image/svg+xml')).toBe('application/octet-stream');
  });

  it('keeps allow-listed files within the limit and says why the others were dropped', () => {
    const file = (filename: string | undefined, contentType: string, size = 10) =>
      ({ filename, contentType, content: Buffer.alloc(size) }) as never;
    const { kept, dropped } = screenAttachments(
      [
        file('scan.PDF', 'application/pdf'),
        file('photo.jpg', 'application/octet-stream'),
        file('setup.exe', 'application/x-msdownload'),
        file('invoice.pdf.scr', 'application/pdf'),
        file('notes.txt', 'text/html'),
        file('huge.png', 'image/png', 2000),
        file(undefined, 'application/pdf'),
      ],
      1000,
    );
    expect(kept.map((entry) => [entry.filename, entry.contentType])).toEqual([
      ['scan.PDF', 'application/pdf'],
      ['photo.jpg', 'image/jpeg'],
    ]);
    expect(dropped).toEqual([
      { filename: 'setup.exe', reason: 'the file type .exe is not allowed' },
      { filename: 'invoice.pdf.scr', reason: 'the file type .scr is not allowed' },
      { filename: 'notes.txt', reason: 'declared as text/html, which is not allowed' },
      { filename: 'huge.png', reason: 'larger than 1 kB' },
      { filename: 'attachment-7', reason: 'the file type (none) is not allowed' },
    ]);
  });
});
