import {
  Anchor,
  Badge,
  Button,
  Center,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { flaggedMinimumNo } from '../../../shared/portal-articles.ts';
import { useCan } from '../../app/session.ts';
import { formatDate, LoadMore, PageHeader, QueryError, TableSkeleton } from '../../app/ui.tsx';
import { type ArticleFilters, useArticleCategories, useArticles, useDeflection } from './api.ts';
import { FromItemButton } from './FromItemButton.tsx';

const statusFilters = [
  { value: 'all', label: 'All' },
  { value: 'published', label: 'Published' },
  { value: 'draft', label: 'Drafts' },
];

function Figure({ label, value, hint }: { label: string; value: number | string; hint: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
    </Paper>
  );
}

function DeflectionFigures() {
  const deflection = useDeflection();
  if (deflection.isError) return <QueryError error={deflection.error} onRetry={() => deflection.refetch()} />;
  const data = deflection.data;
  const answered = data ? data.feedbackYes + data.feedbackNo : 0;
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }} mb="md" aria-busy={deflection.isPending}>
      <Figure
        label="Answered without staff"
        value={data?.deflected ?? '…'}
        hint="Last 30 days: “yes, it answered my question” while writing a request"
      />
      <Figure
        label="Helpful"
        value={data ? (answered ? `${Math.round((data.feedbackYes / answered) * 100)} %` : '—') : '…'}
        hint={data ? `${data.feedbackYes} yes, ${data.feedbackNo} no in 30 days` : 'Loading'}
      />
      <Figure
        label="Offered before a request"
        value={data?.beforeSubmitAnswers ?? '…'}
        hint="Answers to articles suggested on the request form"
      />
    </SimpleGrid>
  );
}

export function ArticlesPage() {
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 300);
  const status = params.get('status');
  const filters: ArticleFilters = {
    status: status === 'draft' || status === 'published' ? status : undefined,
    category: params.get('category') ?? undefined,
    flagged: params.get('flagged') === 'true' ? 'true' : undefined,
    q: q || undefined,
  };
  const articles = useArticles(filters);
  const categories = useArticleCategories();
  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const filtered = Boolean(filters.status || filters.category || filters.flagged || filters.q);

  return (
    <>
      <PageHeader
        title="Knowledge base"
        description="Articles customers read in the portal's help and see while writing a request."
        actions={
          can('portal.content') && (
            <Group gap="xs">
              <FromItemButton />
              <Button component={Link} to="/portal-admin/articles/new">
                New article
              </Button>
            </Group>
          )
        }
      />
      <DeflectionFigures />
      <Group mb="md" align="flex-end" wrap="wrap">
        <SegmentedControl
          aria-label="Status"
          data={statusFilters}
          value={filters.status ?? 'all'}
          onChange={(value) => setParam('status', value === 'all' ? null : value)}
        />
        <Select
          label="Category"
          placeholder="Any category"
          data={categories.data ?? []}
          value={filters.category ?? null}
          onChange={(value) => setParam('category', value)}
          clearable
          searchable
          w={200}
        />
        <TextInput
          label="Search"
          placeholder="Title or text"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={220}
        />
        <Switch
          label={`Flagged only (${flaggedMinimumNo}+ “no”, more than “yes”)`}
          checked={Boolean(filters.flagged)}
          onChange={(event) => setParam('flagged', event.currentTarget.checked ? 'true' : null)}
          mb={8}
        />
      </Group>
      {articles.isPending ? (
        <TableSkeleton />
      ) : articles.isError ? (
        <QueryError error={articles.error} onRetry={() => articles.refetch()} />
      ) : articles.items.length === 0 ? (
        <Center py={48}>
          <Stack align="center" gap="xs" maw={460} ta="center">
            <Text fw={600}>{filtered ? 'No article matches these filters' : 'No articles yet'}</Text>
            <Text size="sm" c="dimmed">
              Articles answer the questions customers ask most, before they need to ask. Write one, or turn a
              resolved item into one from its page.
            </Text>
          </Stack>
        </Center>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Title</Table.Th>
                <Table.Th>Category</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th ta="right">Views</Table.Th>
                <Table.Th ta="right">Yes / No</Table.Th>
                <Table.Th>Updated</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {articles.items.map((article) => (
                <Table.Tr key={article.id}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Anchor component={Link} to={`/portal-admin/articles/${article.id}`} fw={500} size="sm">
                        {article.title}
                      </Anchor>
                      {article.flagged && (
                        <Badge
                          color="red"
                          variant="light"
                          title="Many readers said it did not answer their question"
                        >
                          Flagged
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {article.category ?? (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={article.status === 'published' ? 'teal' : 'gray'}>
                      {article.status === 'published' ? 'Published' : 'Draft'}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">{article.views}</Table.Td>
                  <Table.Td ta="right">
                    {article.helpfulYes} / {article.helpfulNo}
                  </Table.Td>
                  <Table.Td>{formatDate(article.updatedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore {...articles} />
    </>
  );
}
