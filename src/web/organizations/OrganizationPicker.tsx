import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useOrganization, useOrganizationSearch } from '../people/api.ts';

/** A searchable organization select: type part of a name, pick one, or clear. */
export function OrganizationPicker({
  value,
  onChange,
  label = 'Organization',
  error,
  exclude,
  placeholder = 'Search organizations',
}: {
  value: string | null;
  onChange: (id: string | null) => void;
  label?: string;
  error?: string;
  exclude?: string;
  placeholder?: string;
}) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 200);
  const current = useOrganization(value);
  const typed = debounced === current.data?.name ? '' : debounced;
  const results = useOrganizationSearch(typed);
  const options = new Map<string, string>();
  if (value && current.data) options.set(value, current.data.name);
  for (const org of results.data?.data ?? []) if (org.id !== exclude) options.set(org.id, org.name);
  return (
    <Select
      label={label}
      placeholder={placeholder}
      searchable
      clearable
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      data={[...options].map(([id, name]) => ({ value: id, label: name }))}
      filter={({ options: all }) => all}
      nothingFoundMessage={results.isFetching ? 'Searching…' : 'No organization matches'}
      error={error}
      comboboxProps={{ withinPortal: false }}
    />
  );
}
