import {
  Anchor,
  Badge,
  Button,
  Center,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { BoardFilter, TriageSuggestion } from '../../../shared/portal-suggestions.ts';
import { type BoardStatus, boardStatuses, boardStatusLabels } from '../../../shared/portal-words.ts';
import { useCan } from '../../app/session.ts';
import { formatDate, LoadMore, PageHeader, QueryError, TableSkeleton } from '../../app/ui.tsx';
import { usePaged } from '../../settings/paged.ts';
import { TriageDrawer, triageKey } from './TriageDrawer.tsx';

const boardFilters = [
  { value: 'all', label: 'All' },
  { value: 'off', label: 'Not on the board' },
  { value: 'on', label: 'On the board' },
];
const statusColors: Record<BoardStatus, string> = {
  under_review: 'blue',
  planned: 'violet',
  done: 'teal',
  declined: 'gray',
};

function BoardBadge({ status }: { status: BoardStatus | null }) {
  if (!status) {
    return (
      <Text size="sm" c="dimmed">
        Not on the board
      </Text>
    );
  }
  return (
    <Badge variant="light" color={statusColors[status]}>
      {boardStatusLabels[status]}
    </Badge>
  );
}

export function SuggestionsTriagePage() {
  const can = useCan();
  const canEdit = can('portal.content');
  const [params, setParams] = useSearchParams();
  const board = (
    boardFilters.some((f) => f.value === params.get('board')) ? params.get('board') : 'all'
  ) as BoardFilter;
  const statusParam = params.get('status');
  const status = boardStatuses.includes(statusParam as BoardStatus)
    ? (statusParam as BoardStatus)
    : undefined;
  const list = usePaged<TriageSuggestion>(triageKey, '/api/v1/portal/suggestions', { board, status });
  const [openId, setOpenId] = useState<string | null>(null);
  const setFilter = (next: { board?: string; status?: string | null }) => {
    const merged = { board, status: status ?? null, ...next };
    const search: Record<string, string> = {};
    if (merged.board !== 'all') search.board = merged.board;
    if (merged.status) search.status = merged.status;
    setParams(search, { replace: true });
  };

  return (
    <>
      <PageHeader
        title="Suggestions board"
        description="Put customers' suggestions on the portal's board, set their status and answer them. Voters hear about every status change."
      />
      <Group mb="md" align="flex-end">
        <SegmentedControl
          aria-label="Board"
          data={boardFilters}
          value={board}
          onChange={(value) => setFilter({ board: value, status: value === 'off' ? null : status })}
        />
        <Select
          aria-label="Filter by board status"
          placeholder="Any status"
          clearable
          data={boardStatuses.map((value) => ({ value, label: boardStatusLabels[value] }))}
          value={status ?? null}
          onChange={(value) => setFilter({ status: value, board: value ? 'all' : board })}
          w={180}
        />
      </Group>
      {list.isPending ? (
        <TableSkeleton />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : list.items.length === 0 ? (
        <Center py={48}>
          <Stack align="center" gap="xs" maw={460} ta="center">
            <Text fw={600}>No suggestions here</Text>
            <Text size="sm" c="dimmed">
              Suggestions are items of the kind "suggestion", from the portal, email or logged by staff. Put
              them on the board here so that customers can vote and follow them.
            </Text>
          </Stack>
        </Center>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Ref</Table.Th>
                <Table.Th>Suggestion</Table.Th>
                <Table.Th ta="right">Votes</Table.Th>
                <Table.Th ta="right">Comments</Table.Th>
                <Table.Th>Board</Table.Th>
                <Table.Th>Status changed</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((suggestion) => (
                <Table.Tr key={suggestion.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/items/${suggestion.id}`} size="sm">
                      #{suggestion.ref}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500} lineClamp={2} maw={420}>
                      {suggestion.subject}
                    </Text>
                    {suggestion.boardResponse && (
                      <Text size="xs" c="dimmed" lineClamp={1} maw={420}>
                        {suggestion.boardResponse}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{suggestion.voteCount}</Table.Td>
                  <Table.Td ta="right">{suggestion.commentCount}</Table.Td>
                  <Table.Td>
                    <BoardBadge status={suggestion.boardStatus} />
                  </Table.Td>
                  <Table.Td>{formatDate(suggestion.boardUpdatedAt)}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="light" onClick={() => setOpenId(suggestion.id)}>
                      {canEdit ? 'Triage' : 'View'}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMore {...list} />
      <TriageDrawer id={openId} canEdit={canEdit} onClose={() => setOpenId(null)} />
    </>
  );
}
