import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { type Item, type ItemVote, itemChannelLabels } from '../../shared/listening.ts';
import { type ProblemRecord, problemStatusLabels } from '../../shared/problems.ts';
import { api, errorMessage, withQuery } from '../app/api.ts';
import { useCan, useMe } from '../app/session.ts';
import { ConfirmModal, FormError } from '../app/ui.tsx';
import type { ActionRun } from './ActionModals.tsx';
import { itemSla, useCategories } from './api.ts';

const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }) : null;

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
      <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="sm" ta="right" component="div" style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Group>
  );
}

export function ItemDetails({ item, now }: { item: Item; now: number }) {
  const categories = useCategories();
  const category = categories.find((c) => c.id === item.categoryId);
  const sla = itemSla(item, now);
  const loop = (at: string | null) =>
    at ? (
      <Text span size="sm" c="teal" fw={600}>
        ✓ {when(at)}
      </Text>
    ) : (
      <Text span size="sm" c="dimmed">
        Not yet
      </Text>
    );
  return (
    <Card withBorder padding="sm" radius="md">
      <Stack gap={6}>
        <Row label="Customer">
          {item.personId ? (
            <Anchor component={Link} to={`/people/${item.personId}`}>
              {item.personName ?? 'Customer'}
            </Anchor>
          ) : (
            (item.reporterName ?? item.reporterEmail ?? 'Anonymous')
          )}
        </Row>
        {item.reporterEmail && <Row label="Email">{item.reporterEmail}</Row>}
        <Row label="Channel">{itemChannelLabels[item.channel]}</Row>
        <Row label="Category">{category?.name ?? '—'}</Row>
        {item.tags.length > 0 && (
          <Row label="Tags">
            <Group gap={4} justify="flex-end">
              {item.tags.map((tag) => (
                <Badge key={tag} size="xs" variant="default">
                  {tag}
                </Badge>
              ))}
            </Group>
          </Row>
        )}
        <Row label="Logged">{when(item.createdAt)}</Row>
        {item.firstResponseDueAt && <Row label="First response due">{when(item.firstResponseDueAt)}</Row>}
        {item.resolutionDueAt && <Row label="Resolution due">{when(item.resolutionDueAt)}</Row>}
        {sla.map((state) => (
          <Text
            key={state.label}
            size="sm"
            fw={600}
            c={state.tone === 'breached' ? 'red' : state.tone === 'soon' ? 'orange' : undefined}
          >
            {state.label}
          </Text>
        ))}
        <Title order={3} size="h6" mt="xs">
          Closing the loop
        </Title>
        <Row label="Resolved">{loop(item.resolvedAt)}</Row>
        <Row label="Informed">{loop(item.informedAt)}</Row>
        <Row label="Thanked">{loop(item.thankedAt)}</Row>
        {item.closedAt && <Row label="Closed">{when(item.closedAt)}</Row>}
        {item.closeReason && <Row label="Close reason">{item.closeReason}</Row>}
        {item.resolution && (
          <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }}>
            <Text span size="xs" c="dimmed">
              Resolution:{' '}
            </Text>
            {item.resolution}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

export function Votes({ item, run }: { item: Item; run: ActionRun }) {
  const queryClient = useQueryClient();
  const me = useMe();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const relevant = item.kind === 'suggestion' || item.voteCount > 0;
  const voters = useQuery({
    queryKey: ['items', 'votes', item.id, item.voteCount],
    queryFn: () => api.get<{ data: ItemVote[] }>(`/api/v1/items/${item.id}/votes?limit=50`),
    enabled: relevant && item.voteCount > 0,
  });
  if (!relevant) return null;
  const mine = voters.data?.data.some((v) => v.userId && v.userId === me.data?.user.id) ?? false;
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      if (mine) {
        await api.delete(`/api/v1/items/${item.id}/vote`);
        await queryClient.invalidateQueries({ queryKey: ['items'] });
      } else await run('vote', {});
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  const names = (voters.data?.data ?? []).map((v) => v.userName ?? v.personName ?? 'Someone');
  return (
    <Card withBorder padding="sm" radius="md">
      <Group justify="space-between">
        <Text size="sm">
          <Text span fw={700} size="lg">
            {item.voteCount}
          </Text>{' '}
          vote{item.voteCount === 1 ? '' : 's'}
        </Text>
        <Button size="xs" variant={mine ? 'default' : 'light'} onClick={toggle} loading={busy}>
          {mine ? 'Withdraw my vote' : '+1 Vote'}
        </Button>
      </Group>
      {names.length > 0 && (
        <Text size="xs" c="dimmed" mt={4}>
          {names.join(', ')}
          {item.voteCount > names.length ? ` and ${item.voteCount - names.length} more` : ''}
        </Text>
      )}
      <FormError message={error} />
    </Card>
  );
}

export function ProblemLink({ item, onChanged }: { item: Item; onChanged: () => unknown }) {
  const can = useCan();
  const [choice, setChoice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const linked = useQuery({
    queryKey: ['problems', 'one', item.problemId ?? ''],
    queryFn: () => api.get<ProblemRecord>(`/api/v1/problems/${item.problemId}`),
    enabled: Boolean(item.problemId) && can('problems.read'),
  });
  const open = useQuery({
    queryKey: ['problems', 'pick'],
    queryFn: () => api.get<{ data: ProblemRecord[] }>('/api/v1/problems?limit=100'),
    enabled: !item.problemId && can('problems.write'),
    staleTime: 30_000,
  });
  if (!can('problems.read')) return null;
  const link = async () => {
    if (!choice) return;
    setError(null);
    try {
      await api.post(`/api/v1/problems/${choice}/items`, { itemIds: [item.id] });
      await onChanged();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  return (
    <Card withBorder padding="sm" radius="md">
      <Title order={3} size="h6" mb={6}>
        Root cause
      </Title>
      {item.problemId ? (
        <Group gap="xs">
          <Anchor component={Link} to={`/problems/${item.problemId}`} size="sm">
            {linked.data?.title ?? 'The linked problem'}
          </Anchor>
          {linked.data && (
            <Badge size="xs" variant="light">
              {problemStatusLabels[linked.data.status]}
            </Badge>
          )}
        </Group>
      ) : can('problems.write') ? (
        <Stack gap={6}>
          <Group gap="xs" wrap="nowrap" align="flex-end">
            <Select
              aria-label="Problem to link"
              placeholder={open.data?.data.length ? 'Link to a problem…' : 'No problems yet'}
              data={(open.data?.data ?? [])
                .filter((p) => p.status !== 'fixed')
                .map((p) => ({ value: p.id, label: p.title }))}
              value={choice}
              onChange={setChoice}
              searchable
              size="xs"
              style={{ flex: 1 }}
            />
            <Button size="xs" variant="default" disabled={!choice} onClick={link}>
              Link
            </Button>
          </Group>
          <Anchor component={Link} to={`/problems/new?items=${item.id}`} size="xs">
            Start a new problem from this item
          </Anchor>
          <FormError message={error} />
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          Not linked to a problem.
        </Text>
      )}
    </Card>
  );
}

/** Search another item by #ref or subject and merge it into this one (after confirmation). */
export function MergeModal({
  item,
  opened,
  onClose,
  run,
}: {
  item: Item;
  opened: boolean;
  onClose: () => void;
  run: ActionRun;
}) {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim().replace(/^#/, ''), 200);
  const [other, setOther] = useState<Item | null>(null);
  const [error, setError] = useState<string | null>(null);
  const results = useQuery({
    queryKey: ['items', 'merge-pick', debounced],
    queryFn: () => api.get<{ data: Item[] }>(withQuery('/api/v1/items', { q: debounced, limit: 20 })),
    enabled: opened && debounced.length > 0,
  });
  const candidates = (results.data?.data ?? []).filter((i) => i.id !== item.id && !i.mergedIntoId);
  const byRef = /^\d+$/.test(debounced) ? candidates.filter((i) => String(i.ref) === debounced) : [];
  const shown = byRef.length > 0 ? byRef : candidates;
  return (
    <>
      <Modal
        opened={opened && !other}
        onClose={onClose}
        title={`Merge a duplicate into #${item.ref}`}
        size="lg"
      >
        <Stack gap="sm">
          <TextInput
            label="Find the duplicate"
            placeholder="#ref or words in its subject"
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            data-autofocus
          />
          {results.isFetching && <Text size="xs">Searching…</Text>}
          {debounced && results.isSuccess && shown.length === 0 && (
            <Text size="sm" c="dimmed">
              No other item matches.
            </Text>
          )}
          {shown.map((candidate) => (
            <Button
              key={candidate.id}
              variant="default"
              justify="flex-start"
              onClick={() => setOther(candidate)}
              styles={{ label: { overflow: 'hidden' } }}
            >
              #{candidate.ref} · {candidate.subject}
            </Button>
          ))}
        </Stack>
      </Modal>
      <ConfirmModal
        opened={opened && other !== null}
        title={`Merge #${other?.ref} into #${item.ref}?`}
        confirmLabel="Merge"
        onClose={() => {
          setOther(null);
          setError(null);
        }}
        onConfirm={async () => {
          if (!other) return;
          try {
            await run('merge', { otherId: other.id });
            setOther(null);
            onClose();
          } catch (caught) {
            setError(errorMessage(caught));
          }
        }}
      >
        {`#${other?.ref} "${other?.subject}" is closed as a duplicate of this item. Its customers are kept: they all receive this item's feedback and thank-you.`}
        {error ? ` (${error})` : ''}
      </ConfirmModal>
    </>
  );
}
