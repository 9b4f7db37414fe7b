import { Button, Checkbox, Menu, ScrollArea } from '@mantine/core';

/** Lets the user choose which columns a list shows; at least one stays visible. */
export function ColumnsMenu({
  columns,
  visible,
  onChange,
}: {
  columns: readonly { key: string; label: string }[];
  visible: readonly string[];
  onChange: (keys: string[]) => void;
}) {
  const toggle = (key: string) => {
    const next = visible.includes(key) ? visible.filter((k) => k !== key) : [...visible, key];
    if (next.length === 0) return;
    onChange(columns.map((column) => column.key).filter((k) => next.includes(k)));
  };
  return (
    <Menu closeOnItemClick={false} position="bottom-end" withArrow shadow="md" width={220}>
      <Menu.Target>
        <Button variant="default">Columns</Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Show columns</Menu.Label>
        <ScrollArea.Autosize mah={360}>
          {columns.map((column) => {
            const checked = visible.includes(column.key);
            return (
              <Menu.Item
                key={column.key}
                onClick={() => toggle(column.key)}
                // The checkbox only shows the state: the item handles the click.
                leftSection={
                  <Checkbox
                    size="xs"
                    checked={checked}
                    readOnly
                    tabIndex={-1}
                    aria-hidden
                    style={{ pointerEvents: 'none' }}
                  />
                }
              >
                {column.label}
              </Menu.Item>
            );
          })}
        </ScrollArea.Autosize>
      </Menu.Dropdown>
    </Menu>
  );
}
