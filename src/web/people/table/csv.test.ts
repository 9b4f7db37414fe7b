import { describe, expect, test } from 'vitest';
import { toCsv } from './csv.ts';
import type { Column } from './VirtualTable.tsx';

interface Row {
  name: string;
  phone: string;
}
const columns: Column<Row>[] = [
  { key: 'name', label: 'Name', width: 100, text: (row) => row.name },
  { key: 'phone', label: 'Phone, main', width: 100, text: (row) => row.phone },
];

describe('toCsv', () => {
  test('quotes commas, quotes and line breaks; CRLF lines', () => {
    const csv = toCsv([{ name: 'Ana "the boss", Ruiz', phone: 'line\nbreak' }], columns);
    expect(csv).toBe('Name,"Phone, main"\r\n"Ana ""the boss"", Ruiz","line\nbreak"\r\n');
  });

  test('defuses formulas but keeps phone numbers and Unicode', () => {
    const csv = toCsv(
      [
        { name: '=HYPERLINK("x")', phone: '+33 1 42 68 53 00' },
        { name: '-2+3', phone: '@SUM(A1)' },
        { name: '山田太郎', phone: '-' },
      ],
      columns,
    );
    const lines = csv.split('\r\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""x"")",+33 1 42 68 53 00`);
    expect(lines[2]).toBe(`'-2+3,'@SUM(A1)`);
    expect(lines[3]).toBe("山田太郎,'-");
  });
});
