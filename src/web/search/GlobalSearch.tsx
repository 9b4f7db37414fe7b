import { Badge, Combobox, Group, Kbd, Loader, Stack, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue, useViewportSize, useWindowEvent } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { SearchResult } from '../../shared/people.ts';
import { api, errorMessage, withQuery } from '../app/api.ts';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

const pathOf = (result: SearchResult) =>
  result.type === 'person' ? `/people/${result.id}` : `/organizations/${result.id}`;

/** The one search box: `/` anywhere focuses it; people and organizations as you type. */
export function GlobalSearch() {
  const navigate = useNavigate();
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [debounced] = useDebouncedValue(value.trim(), 150);
  const { width: viewportWidth } = useViewportSize();
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });

  useWindowEvent('keydown', (event) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    // Not from behind an open dialog: its focus trap would fight the header box.
    if (document.querySelector('[aria-modal="true"]')) return;
    event.preventDefault();
    inputRef.current?.focus();
    inputRef.current?.select();
    combobox.openDropdown();
  });

  const results = useQuery({
    queryKey: ['search', debounced],
    queryFn: () =>
      api.get<{ data: SearchResult[] }>(withQuery('/api/v1/search', { q: debounced, limit: 12 })),
    enabled: debounced.length > 0,
    staleTime: 10_000,
    placeholderData: (previous) => previous,
  });
  const items = debounced ? (results.data?.data ?? []) : [];

  // Enter opens the best match without first pressing the down arrow.
  const found = results.data;
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when a new result list arrives
  useEffect(() => {
    if (debounced && (found?.data.length ?? 0) > 0) combobox.selectFirstOption();
  }, [found, debounced]);

  const open = (id: string) => {
    const found = items.find((item) => item.id === id);
    if (!found) return;
    navigate(pathOf(found));
    setValue('');
    combobox.closeDropdown();
    inputRef.current?.blur();
  };

  return (
    <Combobox
      store={combobox}
      onOptionSubmit={open}
      withinPortal
      position="bottom-end"
      width={Math.min(420, (viewportWidth || 420) - 24)}
    >
      <Combobox.Target>
        <TextInput
          ref={inputRef}
          value={value}
          onChange={(event) => {
            setValue(event.currentTarget.value);
            combobox.openDropdown();
          }}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              setValue('');
              combobox.closeDropdown();
              inputRef.current?.blur();
            }
          }}
          placeholder="Search…"
          aria-label="Search people and organizations"
          rightSection={results.isFetching && debounced ? <Loader size={14} /> : <Kbd size="xs">/</Kbd>}
          rightSectionPointerEvents="none"
          w={{ base: 100, xs: 220, md: 340 }}
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={!debounced}>
        <Combobox.Options aria-label="Search results" mah={420} style={{ overflowY: 'auto' }}>
          {results.isError && <Combobox.Empty>{errorMessage(results.error)}</Combobox.Empty>}
          {!results.isError && items.length === 0 && (
            <Combobox.Empty>
              {results.isFetching ? 'Searching…' : `Nothing found for "${debounced}"`}
            </Combobox.Empty>
          )}
          {items.map((item) => (
            <Combobox.Option key={`${item.type}-${item.id}`} value={item.id} aria-label={item.title}>
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Text size="sm" fw={500} truncate>
                    {item.title}
                  </Text>
                  {item.subtitle && (
                    <Text size="xs" c="dimmed" truncate>
                      {item.subtitle}
                    </Text>
                  )}
                </Stack>
                <Badge size="xs" variant="light" color={item.type === 'person' ? 'indigo' : 'teal'}>
                  {item.type === 'person' ? 'Person' : 'Organization'}
                </Badge>
              </Group>
            </Combobox.Option>
          ))}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
