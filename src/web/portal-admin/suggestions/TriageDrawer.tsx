import {
  Alert,
  Anchor,
  Badge,
  Button,
  Drawer,
  Group,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Link } from 'react-router';
import type {
  BoardUpdateResult,
  SuggestionComment,
  TriageDetail,
} from '../../../shared/portal-suggestions.ts';
import { type BoardStatus, boardStatuses, boardStatusLabels } from '../../../shared/portal-words.ts';
import { ApiError, api, errorMessage } from '../../app/api.ts';
import { FormError, formatDate, QueryError } from '../../app/ui.tsx';

export const triageKey = 'portal-suggestions-triage';
const off = 'off';

const statusOptions = [
  { value: off, label: 'Not on the board' },
  ...boardStatuses.map((status) => ({ value: status, label: boardStatusLabels[status] })),
];

function fieldMessage(error: unknown, path: string): string | null {
  return error instanceof ApiError ? (error.errors.find((e) => e.path === path)?.message ?? null) : null;
}

function BoardForm({ suggestion, canEdit }: { suggestion: TriageDetail; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<string>(suggestion.boardStatus ?? off);
  const [response, setResponse] = useState(suggestion.boardResponse ?? '');
  useEffect(() => {
    setStatus(suggestion.boardStatus ?? off);
    setResponse(suggestion.boardResponse ?? '');
  }, [suggestion.boardStatus, suggestion.boardResponse]);
  const declining = status === 'declined';
  const missingReason = declining && !response.trim();
  const save = useMutation({
    mutationFn: () =>
      api.patch<BoardUpdateResult>(`/api/v1/portal/suggestions/${suggestion.id}`, {
        boardStatus: status === off ? null : (status as BoardStatus),
        boardResponse: response.trim() || null,
      }),
    onSuccess: async (result) => {
      notifications.show({
        color: 'teal',
        message:
          result.votersInformed > 0
            ? `Saved; ${result.votersInformed} ${result.votersInformed === 1 ? 'voter is' : 'voters are'} being informed.`
            : 'Saved.',
      });
      await queryClient.invalidateQueries({ queryKey: [triageKey] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!missingReason) save.mutate();
  };
  const responseError =
    fieldMessage(save.error, 'body.boardResponse') ??
    (missingReason && save.isError ? 'is required when declining: tell the customers why' : null);
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Select
          label="Board status"
          description="Voters are emailed when the status changes (unless their terms refuse it)."
          data={statusOptions}
          value={status}
          onChange={(value) => setStatus(value ?? off)}
          allowDeselect={false}
          disabled={!canEdit}
        />
        <Textarea
          label={declining ? 'Reason for declining (shown to customers)' : 'Public response'}
          description={declining ? 'Required when declining.' : 'Optional; shown on the board.'}
          required={declining}
          autosize
          minRows={3}
          maxLength={5000}
          value={response}
          onChange={(event) => setResponse(event.currentTarget.value)}
          error={responseError ?? (missingReason ? 'Write the reason before declining.' : null)}
          disabled={!canEdit}
        />
        <FormError message={save.isError && !responseError ? errorMessage(save.error) : null} />
        {canEdit && (
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} disabled={missingReason}>
              Save
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}

function Comments({ suggestion, canEdit }: { suggestion: TriageDetail; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const post = useMutation({
    mutationFn: () =>
      api.post<SuggestionComment>(`/api/v1/portal/suggestions/${suggestion.id}/comments`, { body }),
    onSuccess: async () => {
      setBody('');
      notifications.show({ color: 'teal', message: 'Comment posted on the board.' });
      await queryClient.invalidateQueries({ queryKey: [triageKey] });
    },
  });
  return (
    <Stack gap="sm">
      <Title order={4}>Comments ({suggestion.comments.length})</Title>
      {suggestion.comments.length === 0 && (
        <Text size="sm" c="dimmed">
          No comments yet.
        </Text>
      )}
      {suggestion.comments.map((comment) => (
        <Stack key={comment.id} gap={2}>
          <Group gap="xs">
            <Text size="sm" fw={600}>
              {comment.author}
            </Text>
            {comment.byStaff && (
              <Badge size="xs" variant="light">
                Staff
              </Badge>
            )}
            <Text size="xs" c="dimmed">
              {formatDate(comment.createdAt)}
            </Text>
          </Group>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {comment.body}
          </Text>
        </Stack>
      ))}
      {canEdit && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            post.mutate();
          }}
        >
          <Stack gap="xs">
            <Textarea
              label="Answer as staff"
              description="Shown on the board as your team with your first name."
              autosize
              minRows={2}
              maxLength={5000}
              value={body}
              onChange={(event) => setBody(event.currentTarget.value)}
              error={fieldMessage(post.error, 'body.body')}
            />
            <FormError
              message={
                post.isError && !fieldMessage(post.error, 'body.body') ? errorMessage(post.error) : null
              }
            />
            <Group justify="flex-end">
              <Button type="submit" variant="light" loading={post.isPending} disabled={!body.trim()}>
                Post comment
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}

/** Status, public response and comments of one suggestion. */
export function TriageDrawer({
  id,
  canEdit,
  onClose,
}: {
  id: string | null;
  canEdit: boolean;
  onClose: () => void;
}) {
  const detail = useQuery({
    queryKey: [triageKey, 'detail', id],
    queryFn: () => api.get<TriageDetail>(`/api/v1/portal/suggestions/${id}`),
    enabled: id !== null,
  });
  const suggestion = detail.data;
  return (
    <Drawer opened={id !== null} onClose={onClose} position="right" size="lg" title="Triage suggestion">
      {detail.isPending && id !== null ? (
        <Text c="dimmed">Loading…</Text>
      ) : detail.isError ? (
        <QueryError error={detail.error} onRetry={() => detail.refetch()} />
      ) : suggestion ? (
        <Stack gap="lg">
          <Stack gap={4}>
            <Text fw={600}>
              #{suggestion.ref} {suggestion.subject}
            </Text>
            <Group gap="md">
              <Text size="sm" c="dimmed">
                {suggestion.voteCount} {suggestion.voteCount === 1 ? 'vote' : 'votes'}
              </Text>
              <Anchor component={Link} to={`/items/${suggestion.id}`} size="sm">
                Open the item
              </Anchor>
            </Group>
          </Stack>
          {!canEdit && (
            <Alert color="gray">You can read the board; changing it needs an agent, manager or admin.</Alert>
          )}
          <BoardForm suggestion={suggestion} canEdit={canEdit} />
          <Comments suggestion={suggestion} canEdit={canEdit} />
        </Stack>
      ) : null}
    </Drawer>
  );
}
