import { MultiSelect } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { SearchResult } from '../../shared/people.ts';
import { api, withQuery } from '../app/api.ts';

export interface PickedPerson {
  id: string;
  name: string;
}

/** Search results of one kind, for pickers (typos tolerated by the search API). */
export function usePartySearch(q: string, type: 'person' | 'organization' | 'any') {
  const [debounced] = useDebouncedValue(q.trim(), 200);
  return useQuery({
    queryKey: ['search', 'pick', debounced],
    queryFn: () =>
      api.get<{ data: SearchResult[] }>(withQuery('/api/v1/search', { q: debounced, limit: 20 })),
    enabled: debounced.length > 0,
    staleTime: 30_000,
    placeholderData: (previous) => previous,
    select: (result) => result.data.filter((item) => type === 'any' || item.type === type),
  });
}

/** Chooses several people by typing part of their name, email or phone. */
export function PeoplePicker({
  value,
  onChange,
  error,
  label = 'People',
}: {
  value: PickedPerson[];
  onChange: (people: PickedPerson[]) => void;
  error?: string | undefined;
  label?: string;
}) {
  const [search, setSearch] = useState('');
  const results = usePartySearch(search, 'person');
  const known = new Map(value.map((person) => [person.id, person.name]));
  for (const item of results.data ?? []) if (!known.has(item.id)) known.set(item.id, item.title);
  const data = [...known].map(([id, name]) => ({ value: id, label: name }));
  return (
    <MultiSelect
      label={label}
      placeholder={value.length === 0 ? 'Type a name, email or phone' : undefined}
      data={data}
      value={value.map((person) => person.id)}
      onChange={(ids) => onChange(ids.map((id) => ({ id, name: known.get(id) ?? id })))}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={
        search.trim() ? (results.isFetching ? 'Searching…' : 'Nobody found') : 'Type to search'
      }
      error={error}
      clearable
    />
  );
}
