import { Button, Checkbox, Menu, Stack } from '@mantine/core';

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
    <Menu closeOnItemClick={false} position="bottom-end" withArrow shadow="md">
      <Menu.Target>
        <Button variant="default">Columns</Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Show columns</Menu.Label>
        <Stack gap={2} p={4} mah={360} style={{ overflowY: 'auto' }}>
          {columns.map((column) => (
            <Menu.Item key={column.key} onClick={() => toggle(column.key)} closeMenuOnClick={false}>
              <Checkbox
                size="xs"
                label={column.label}
                checked={visible.includes(column.key)}
                onChange={() => undefined}
                tabIndex={-1}
                styles={{ input: { cursor: 'pointer' }, label: { cursor: 'pointer' } }}
              />
            </Menu.Item>
          ))}
        </Stack>
      </Menu.Dropdown>
    </Menu>
  );
}
