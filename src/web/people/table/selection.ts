import { useLocalStorage } from '@mantine/hooks';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { Selection } from './VirtualTable.tsx';

/** Row selection with shift-click ranges over the loaded rows; cleared when the list changes. */
export function useRowSelection<T>(rows: readonly T[], rowId: (row: T) => string, resetKey: string) {
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [forKey, setForKey] = useState(resetKey);
  const anchor = useRef<number | null>(null);
  if (forKey !== resetKey) {
    setForKey(resetKey);
    setSelected(new Set());
    anchor.current = null;
  }

  const toggle = useCallback(
    (id: string, index: number, range: boolean) => {
      setSelected((current) => {
        const next = new Set(current);
        const turnOn = !current.has(id);
        if (range && anchor.current !== null) {
          const [from, to] = [Math.min(anchor.current, index), Math.max(anchor.current, index)];
          for (let i = from; i <= to; i++) {
            const row = rows[i];
            if (row === undefined) continue;
            if (turnOn) next.add(rowId(row));
            else next.delete(rowId(row));
          }
        } else if (turnOn) next.add(id);
        else next.delete(id);
        return next;
      });
      anchor.current = index;
    },
    [rows, rowId],
  );

  const toggleAll = useCallback(() => {
    setSelected((current) =>
      current.size >= rows.length && rows.length > 0 ? new Set() : new Set(rows.map(rowId)),
    );
  }, [rows, rowId]);

  const clear = useCallback(() => setSelected(new Set()), []);
  const selection: Selection = useMemo(
    () => ({ selected, toggle, toggleAll }),
    [selected, toggle, toggleAll],
  );
  return { selection, selected, clear };
}

/** Visible column keys, remembered per list in localStorage. */
export function useVisibleColumns(storageKey: string, defaults: string[]) {
  return useLocalStorage<string[]>({
    key: storageKey,
    defaultValue: defaults,
    getInitialValueInEffect: false,
  });
}
