import { Button, Center, Group, Kbd, Menu, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Organization } from '../../../shared/organizations.ts';
import { UsersIcon } from '../../app/icons.tsx';
import { useSearchText } from '../../app/searchText.ts';
import { useCan } from '../../app/session.ts';
import { PageHeader, QueryError, TableSkeleton } from '../../app/ui.tsx';
import {
  listPath,
  organizationKey,
  type PersonRecord,
  useCustomFields,
  useInfiniteList,
  useUsers,
} from '../api.ts';
import { NewPersonModal } from '../NewPersonModal.tsx';
import { ColumnsMenu } from '../table/ColumnsMenu.tsx';
import { downloadCsv } from '../table/csv.ts';
import { useRowSelection, useVisibleColumns } from '../table/selection.ts';
import { VirtualTable } from '../table/VirtualTable.tsx';
import { BulkBar } from './BulkBar.tsx';
import { defaultPeopleColumns, exportColumns, peopleColumns } from './columns.tsx';
import { FiltersPopover } from './FiltersPopover.tsx';
import { filterCount, paramsFromSearch, searchFromParams } from './filters.ts';
import { SavedViewsMenu, viewParams } from './SavedViewsMenu.tsx';

const personId = (person: PersonRecord) => person.id;

export function PeopleListPage() {
  const can = useCan();
  const queryClient = useQueryClient();
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => paramsFromSearch(search), [search]);
  const sort = (params.sort as string | undefined) ?? 'name';
  // A sort or view is a step Back returns to; typing (search, filters) is not.
  const setParams = (next: typeof params, replace = false) => setSearch(searchFromParams(next), { replace });

  const users = useUsers();
  const customFields = useCustomFields('person');
  const owners = useMemo(() => new Map(users.map((user) => [user.id, user.name])), [users]);
  const organizationName = useCallback(
    (id: string) => queryClient.getQueryData<Organization>(organizationKey(id))?.name,
    [queryClient],
  );
  const allColumns = useMemo(
    () => peopleColumns(owners, organizationName, customFields),
    [owners, organizationName, customFields],
  );
  const [visible, setVisible] = useVisibleColumns('rapport.people.columns', defaultPeopleColumns);
  const columns = allColumns.filter((column) => visible.includes(column.key) || column.key === 'name');

  const list = useInfiniteList<PersonRecord>('people', '/api/v1/people', params);
  const { selection, selected, clear } = useRowSelection(list.rows, personId, search.toString());
  const [creating, newPerson] = useDisclosure(false);
  useHotkeys([['n', () => can('people.write') && newPerson.open()]]);

  const { text, type } = useSearchText(params.q as string | undefined, (q, replace) => {
    const next = new URLSearchParams(search);
    if (q) next.set('q', q);
    else next.delete('q');
    setSearch(next, { replace });
  });

  const exportHref = (format: string) =>
    listPath('/api/v1/people/export', {
      ...params,
      format,
      columns: format === 'csv' ? exportColumns(visible) : undefined,
    });
  const filtered = Boolean(params.q) || filterCount(params) > 0;
  const emptyWorkspace = list.isSuccess && list.rows.length === 0 && !filtered;

  return (
    <Stack gap="md">
      <PageHeader
        title="People"
        description="Everyone the team knows: customers, prospects, influencers and partners."
        actions={
          <Group gap="xs">
            <Menu position="bottom-end" withArrow>
              <Menu.Target>
                <Button variant="default">More</Button>
              </Menu.Target>
              <Menu.Dropdown>
                {can('people.import') && (
                  <Menu.Item component={Link} to="/people/import">
                    Import CSV or vCard
                  </Menu.Item>
                )}
                {can('people.merge') && (
                  <Menu.Item component={Link} to="/people/duplicates">
                    Duplicates
                  </Menu.Item>
                )}
                <Menu.Item component={Link} to="/people/gone-quiet">
                  Gone quiet
                </Menu.Item>
                {can('people.delete') && (
                  <Menu.Item component={Link} to="/people/deleted">
                    Recently deleted
                  </Menu.Item>
                )}
                {can('people.export') && (
                  <>
                    <Menu.Divider />
                    <Menu.Label>Export this list</Menu.Label>
                    <Menu.Item component="a" href={exportHref('csv')} download>
                      CSV (visible columns)
                    </Menu.Item>
                    <Menu.Item component="a" href={exportHref('vcard')} download>
                      vCard
                    </Menu.Item>
                    <Menu.Item component="a" href={exportHref('json')} download>
                      JSON
                    </Menu.Item>
                  </>
                )}
              </Menu.Dropdown>
            </Menu>
            {can('people.write') && (
              <Button onClick={newPerson.open} rightSection={<Kbd size="xs">n</Kbd>}>
                New person
              </Button>
            )}
          </Group>
        }
      />

      {!emptyWorkspace && (
        <Group gap="xs" wrap="wrap">
          <TextInput
            placeholder="Search name, email, phone, tag…"
            aria-label="Search this list"
            value={text}
            onChange={(event) => {
              type(event.currentTarget.value);
            }}
            style={{ flex: '1 1 240px' }}
          />
          {/* Filters change as they are typed (tags, dates): not a Back step per key. */}
          <FiltersPopover params={params} onChange={(next) => setParams(next, true)} />
          <SavedViewsMenu
            entity="person"
            params={params}
            columns={visible}
            onApply={(view) => {
              setParams(viewParams(view));
              if (view.columns?.length) setVisible(view.columns);
            }}
          />
          <ColumnsMenu columns={allColumns} visible={visible} onChange={setVisible} />
        </Group>
      )}

      {selected.size > 0 && (
        <BulkBar
          ids={[...selected]}
          onClear={clear}
          onExport={() =>
            downloadCsv(
              'people.csv',
              list.rows.filter((row) => selected.has(row.id)),
              columns,
            )
          }
        />
      )}

      {list.isPending ? (
        <TableSkeleton rows={8} />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : emptyWorkspace ? (
        <EmptyPeople onAdd={newPerson.open} />
      ) : list.rows.length === 0 ? (
        <Center py="xl">
          <Stack align="center" gap="xs">
            <Text fw={600}>No one matches</Text>
            <Button variant="default" size="xs" onClick={() => setParams({ sort: params.sort })}>
              Clear search and filters
            </Button>
          </Stack>
        </Center>
      ) : (
        <>
          <VirtualTable
            label="People"
            rows={list.rows}
            columns={columns}
            rowId={personId}
            sort={sort}
            onSort={(next) => setParams({ ...params, sort: next })}
            selection={selection}
            hasNextPage={list.hasNextPage}
            isFetchingNextPage={list.isFetchingNextPage}
            fetchNextPage={list.fetchNextPage}
          />
          <Text size="xs" c="dimmed">
            {list.rows.length} loaded{list.hasNextPage ? ', more as you scroll' : ''}. Shift-click to select a
            range.
          </Text>
        </>
      )}
      <NewPersonModal opened={creating} onClose={newPerson.close} />
    </Stack>
  );
}

function EmptyPeople({ onAdd }: { onAdd: () => void }) {
  const can = useCan();
  return (
    <Center py={60}>
      <Stack align="center" gap="sm" maw={460} ta="center">
        <ThemeIcon size={56} radius="xl" variant="light">
          <UsersIcon size={28} />
        </ThemeIcon>
        <Title order={2} size="h3">
          No people yet
        </Title>
        <Text c="dimmed">
          Add the customers, prospects and influencers you know, or bring them all in from a spreadsheet or
          your phone's contacts.
        </Text>
        <Group>
          {can('people.write') && <Button onClick={onAdd}>Add a person</Button>}
          {can('people.import') && (
            <Button component={Link} to="/people/import" variant="default">
              Import
            </Button>
          )}
        </Group>
      </Stack>
    </Center>
  );
}
