import type { Column } from './VirtualTable.tsx';

function cell(value: string): string {
  // A leading = + - @ would run as a formula in spreadsheets; phone numbers such as +33 1 42 stay as they are.
  const formula = /^[=@\t\r]/.test(value) || (/^[+-]/.test(value) && !/^[+-][\d\s().-]+$/.test(value));
  const safe = formula ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV text (RFC 4180, CRLF) of rows with the given columns' labels and text. */
export function toCsv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const lines = [columns.map((column) => cell(column.label)).join(',')];
  for (const row of rows) lines.push(columns.map((column) => cell(column.text?.(row) ?? '')).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Downloads rows as CSV with the given columns' text (the rows the user selected). */
export function downloadCsv<T>(fileName: string, rows: readonly T[], columns: readonly Column<T>[]): void {
  // The BOM makes spreadsheet programs read the file as UTF-8.
  const blob = new Blob([`\ufeff${toCsv(rows, columns)}`], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
