import { Box, Checkbox, Group, Loader, Text, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type MouseEvent, type ReactNode, useEffect, useRef } from 'react';
import classes from './VirtualTable.module.css';

export interface Column<T> {
  key: string;
  label: string;
  /** Width in pixels; the first flexible column takes the remaining space. */
  width: number;
  flex?: boolean;
  /** Ascending sort value for this column (its descending one is `-` + it). */
  sort?: string;
  /** Plain text of the cell: shown when there is no `render`, and used for CSV export. */
  text?: (row: T) => string;
  render?: (row: T) => ReactNode;
}

export interface Selection {
  selected: ReadonlySet<string>;
  /** Index-aware toggle so shift-click can select a range. */
  toggle: (id: string, index: number, range: boolean) => void;
  toggleAll: () => void;
}

const rowHeight = 44;
const selectWidth = 44;

/**
 * A virtualized list table: only the rows on screen are in the DOM, and the next page is
 * fetched when the user scrolls within a few screens of the end of what is loaded.
 */
export function VirtualTable<T>({
  label,
  rows,
  columns,
  rowId,
  sort,
  onSort,
  selection,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  height = 'calc(100dvh - 260px)',
}: {
  label: string;
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowId: (row: T) => string;
  sort?: string;
  onSort?: (sort: string) => void;
  selection?: Selection;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  height?: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - 30) fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, lastIndex, rows.length, fetchNextPage]);

  // A short list takes only the room it needs; a long one fills the screen and scrolls.
  const contentHeight = rows.length * rowHeight + rowHeight + 2 + (hasNextPage ? 120 : 0);
  const minWidth = columns.reduce((sum, column) => sum + column.width, selection ? selectWidth : 0);
  const template = [
    ...(selection ? [`${selectWidth}px`] : []),
    ...columns.map((column) => (column.flex ? `minmax(${column.width}px, 1fr)` : `${column.width}px`)),
  ].join(' ');
  const allSelected = selection ? rows.length > 0 && selection.selected.size >= rows.length : false;

  return (
    <Box
      ref={scrollRef}
      className={classes.scroller}
      style={{ height: `min(${height}, ${contentHeight}px)`, minHeight: Math.min(320, contentHeight) }}
    >
      <table
        aria-label={label}
        aria-rowcount={rows.length + 1}
        className={classes.table}
        style={{ minWidth }}
      >
        <thead className={classes.head}>
          <tr className={classes.row} style={{ gridTemplateColumns: template }}>
            {selection && (
              <th className={classes.cell} scope="col">
                <Checkbox
                  aria-label="Select all loaded rows"
                  checked={allSelected}
                  indeterminate={!allSelected && selection.selected.size > 0}
                  onChange={selection.toggleAll}
                  size="xs"
                />
              </th>
            )}
            {columns.map((column) => (
              <HeaderCell key={column.key} column={column} sort={sort} onSort={onSort} />
            ))}
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize(), position: 'relative', display: 'block' }}>
          {items.map((item) => {
            const row = rows[item.index] as T;
            const id = rowId(row);
            const checked = selection?.selected.has(id) ?? false;
            return (
              <tr
                key={id}
                aria-rowindex={item.index + 2}
                aria-selected={selection ? checked : undefined}
                className={classes.row}
                data-selected={checked || undefined}
                style={{
                  gridTemplateColumns: template,
                  height: rowHeight,
                  transform: `translateY(${item.start}px)`,
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                }}
              >
                {selection && (
                  <td className={classes.cell}>
                    <Checkbox
                      size="xs"
                      aria-label="Select row"
                      checked={checked}
                      onChange={() => undefined}
                      onClick={(event: MouseEvent<HTMLInputElement>) =>
                        selection.toggle(id, item.index, event.shiftKey)
                      }
                    />
                  </td>
                )}
                {columns.map((column) => (
                  <td key={column.key} className={classes.cell}>
                    {column.render ? column.render(row) : column.text?.(row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {isFetchingNextPage && (
        <Group justify="center" py="sm" gap="xs">
          <Loader size="xs" />
          <Text size="xs" c="dimmed">
            Loading more…
          </Text>
        </Group>
      )}
    </Box>
  );
}

function HeaderCell<T>({
  column,
  sort,
  onSort,
}: {
  column: Column<T>;
  sort?: string;
  onSort?: (sort: string) => void;
}) {
  if (!column.sort || !onSort) {
    return (
      <th scope="col" className={classes.cell}>
        <Text size="xs" fw={700} tt="uppercase" c="dimmed" truncate>
          {column.label}
        </Text>
      </th>
    );
  }
  const ascending = sort === column.sort;
  const descending = sort === `-${column.sort}`;
  const next = ascending ? `-${column.sort}` : column.sort;
  return (
    <th
      scope="col"
      className={classes.cell}
      aria-sort={ascending ? 'ascending' : descending ? 'descending' : 'none'}
    >
      <UnstyledButton onClick={() => onSort(next)} className={classes.sortButton}>
        <Text size="xs" fw={700} tt="uppercase" c={ascending || descending ? undefined : 'dimmed'} truncate>
          {column.label}
        </Text>
        <Text size="xs" aria-hidden="true" c="dimmed">
          {ascending ? '▲' : descending ? '▼' : ''}
        </Text>
      </UnstyledButton>
    </th>
  );
}
