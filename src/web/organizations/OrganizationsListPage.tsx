import {
  Button,
  Center,
  Group,
  Kbd,
  Stack,
  TagsInput,
  Text,
  TextInput,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Organization } from '../../shared/organizations.ts';
import { HomeIcon } from '../app/icons.tsx';
import { useSearchText } from '../app/searchText.ts';
import { useCan } from '../app/session.ts';
import { PageHeader, QueryError, TableSkeleton } from '../app/ui.tsx';
import { type ListParams, useCustomFields, useInfiniteList } from '../people/api.ts';
import { SavedViewsMenu, viewParams } from '../people/list/SavedViewsMenu.tsx';
import { ColumnsMenu } from '../people/table/ColumnsMenu.tsx';
import { useVisibleColumns } from '../people/table/selection.ts';
import { VirtualTable } from '../people/table/VirtualTable.tsx';
import { defaultOrganizationColumns, organizationColumns } from './columns.tsx';
import { NewOrganizationModal } from './NewOrganizationModal.tsx';

const orgId = (org: Organization) => org.id;

function paramsOf(search: URLSearchParams): ListParams {
  const params: ListParams = {};
  const q = search.get('q');
  const sort = search.get('sort');
  const tags = search.getAll('tag');
  if (q) params.q = q;
  if (sort) params.sort = sort;
  if (tags.length) params.tag = tags;
  return params;
}

export function OrganizationsListPage() {
  const can = useCan();
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => paramsOf(search), [search]);
  // A tag, sort or view is a step Back returns to; refining the search text is not.
  const setParams = (next: ListParams, replace = false) => {
    const out = new URLSearchParams();
    for (const [key, value] of Object.entries(next))
      for (const item of Array.isArray(value) ? value : value ? [value] : []) out.append(key, item);
    setSearch(out, { replace });
  };
  const customFields = useCustomFields('organization');
  const allColumns = useMemo(() => organizationColumns(customFields), [customFields]);
  const [visible, setVisible] = useVisibleColumns(
    'rapport.organizations.columns',
    defaultOrganizationColumns,
  );
  const columns = allColumns.filter((column) => visible.includes(column.key) || column.key === 'name');
  const list = useInfiniteList<Organization>('organizations', '/api/v1/organizations', params);
  const [creating, create] = useDisclosure(false);
  useHotkeys([['n', () => can('organizations.write') && create.open()]]);

  const { text, setText, type } = useSearchText(params.q as string | undefined, (q, replace) =>
    setParams({ ...params, q }, replace),
  );
  const filtered = Boolean(params.q || params.tag);
  const empty = list.isSuccess && list.rows.length === 0;

  return (
    <Stack gap="md">
      <PageHeader
        title="Organizations"
        description="Companies, associations and households the people you know belong to."
        actions={
          <Group gap="xs">
            {can('organizations.delete') && (
              <Button component={Link} to="/organizations/deleted" variant="default">
                Recently deleted
              </Button>
            )}
            {can('organizations.write') && (
              <Button onClick={create.open} rightSection={<Kbd size="xs">n</Kbd>}>
                New organization
              </Button>
            )}
          </Group>
        }
      />
      {(!empty || filtered) && (
        <Group gap="xs" wrap="wrap">
          <TextInput
            placeholder="Search name, domain, tag…"
            aria-label="Search organizations"
            value={text}
            onChange={(event) => {
              type(event.currentTarget.value);
            }}
            style={{ flex: '1 1 240px' }}
          />
          <TagsInput
            aria-label="Filter by tags"
            placeholder="Tags"
            value={(params.tag as string[] | undefined) ?? []}
            onChange={(tag) => setParams({ ...params, tag })}
            w={220}
            clearable
          />
          <SavedViewsMenu
            entity="organization"
            params={params}
            columns={visible}
            onApply={(view) => {
              setParams(viewParams(view));
              setText((viewParams(view).q as string | undefined) ?? '');
              if (view.columns?.length) setVisible(view.columns);
            }}
          />
          <ColumnsMenu columns={allColumns} visible={visible} onChange={setVisible} />
        </Group>
      )}
      {list.isPending ? (
        <TableSkeleton rows={8} />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : empty ? (
        <Center py={60}>
          <Stack align="center" gap="sm" maw={420} ta="center">
            <ThemeIcon size={56} radius="xl" variant="light">
              <HomeIcon size={28} />
            </ThemeIcon>
            <Title order={2} size="h3">
              {filtered ? 'No organization matches' : 'No organizations yet'}
            </Title>
            {!filtered && (
              <Text c="dimmed">
                Add the companies your people work for to see everyone there at a glance.
              </Text>
            )}
            {filtered ? (
              <Button
                variant="default"
                onClick={() => {
                  setText('');
                  setParams({});
                }}
              >
                Clear search
              </Button>
            ) : (
              can('organizations.write') && <Button onClick={create.open}>Add an organization</Button>
            )}
          </Stack>
        </Center>
      ) : (
        <VirtualTable
          label="Organizations"
          rows={list.rows}
          columns={columns}
          rowId={orgId}
          sort={(params.sort as string | undefined) ?? 'name'}
          onSort={(sort) => setParams({ ...params, sort })}
          hasNextPage={list.hasNextPage}
          isFetchingNextPage={list.isFetchingNextPage}
          fetchNextPage={list.fetchNextPage}
        />
      )}
      <NewOrganizationModal opened={creating} onClose={create.close} />
    </Stack>
  );
}
