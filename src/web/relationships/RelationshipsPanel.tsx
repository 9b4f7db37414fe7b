import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import type { PartyType, Relationship, RelationshipType } from '../../shared/relationships.ts';
import { ApiError, api, errorMessage, withQuery } from '../app/api.ts';
import { UsersIcon } from '../app/icons.tsx';
import { useCan } from '../app/session.ts';
import { ConfirmModal, FormError, QueryError, TableSkeleton } from '../app/ui.tsx';
import { usePartySearch } from '../interactions/PeoplePicker.tsx';

export const relationshipsKey = ['relationships'] as const;
type Party = { type: PartyType; id: string };

const partyPath = (party: { type: PartyType; id: string }) =>
  party.type === 'person' ? `/people/${party.id}` : `/organizations/${party.id}`;

export function useRelationshipTypes() {
  return useQuery({
    queryKey: ['relationship-types'],
    queryFn: () => api.get<{ data: RelationshipType[] }>('/api/v1/relationship-types'),
    staleTime: 5 * 60_000,
  });
}

/** The other party of a link and how the link reads from this side ("reports to", "manages"). */
function fromHere(rel: Relationship, self: Party) {
  const outgoing = rel.from.type === self.type && rel.from.id === self.id;
  return outgoing
    ? { other: rel.to, reads: rel.label }
    : { other: rel.from, reads: rel.inverseLabel ?? rel.label };
}

function OtherPartyPicker({
  value,
  onChange,
  error,
}: {
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string | undefined;
}) {
  const [search, setSearch] = useState('');
  const [known, setKnown] = useState<Record<string, string>>({});
  const results = usePartySearch(search, 'any');
  const data = (results.data ?? []).map((item) => ({
    value: `${item.type}:${item.id}`,
    label: `${item.title}${item.type === 'organization' ? ' (organization)' : ''}`,
  }));
  if (value && !data.some((item) => item.value === value))
    data.unshift({ value, label: known[value] ?? value });
  return (
    <Select
      label="Other party"
      placeholder="Search people and organizations"
      data={data}
      value={value}
      onChange={(next, option) => {
        if (next && option) setKnown((current) => ({ ...current, [next]: option.label }));
        onChange(next);
      }}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={search.trim() ? 'Nobody found' : 'Type to search'}
      error={error}
      style={{ flex: '1 1 220px' }}
    />
  );
}

function AddLink({ self, onAdded }: { self: Party; onAdded: () => Promise<unknown> }) {
  const types = useRelationshipTypes();
  const [kind, setKind] = useState<string | null>(null);
  const [other, setOther] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const options = (types.data?.data ?? []).flatMap((type) => [
    { value: `${type.key}:from`, label: type.label },
    ...(type.inverseLabel && !type.symmetric ? [{ value: `${type.key}:to`, label: type.inverseLabel }] : []),
  ]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (!kind) next.kind = 'Choose how they are related.';
    if (!other) next.other = 'Choose the other person or organization.';
    setErrors(next);
    setFormError(null);
    if (!kind || !other) return;
    const [key, side] = kind.split(':') as [string, 'from' | 'to'];
    const [otherType, otherId] = other.split(':') as [PartyType, string];
    const otherParty = { type: otherType, id: otherId };
    const body = {
      type: key,
      from: side === 'from' ? self : otherParty,
      to: side === 'from' ? otherParty : self,
      note: note.trim() || null,
    };
    setSaving(true);
    try {
      await api.post('/api/v1/relationships', body);
      await onAdded();
      setOther(null);
      setNote('');
    } catch (error) {
      if (error instanceof ApiError && error.errors.some((e) => /type$/.test(e.path))) {
        setErrors({ other: error.errors.map((e) => e.message).join(' ') });
      }
      setFormError(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Paper withBorder p="sm" radius="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          <FormError message={formError} />
          <Group align="flex-start" gap="sm">
            <Select
              label="Link type"
              placeholder="e.g. influences"
              data={options}
              value={kind}
              onChange={setKind}
              searchable
              error={errors.kind}
              style={{ flex: '1 1 180px' }}
            />
            <OtherPartyPicker value={other} onChange={setOther} error={errors.other} />
            <TextInput
              label="Note"
              placeholder="Optional"
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
              style={{ flex: '1 1 160px' }}
            />
            <Button type="submit" loading={saving} mt={25}>
              Add link
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** The typed links of a person or an organization, both directions, with add and remove. */
export function RelationshipsPanel({
  personId,
  organizationId,
}: {
  personId?: string;
  organizationId?: string;
}) {
  const self: Party = personId
    ? { type: 'person', id: personId }
    : { type: 'organization', id: organizationId ?? '' };
  const queryClient = useQueryClient();
  const can = useCan();
  const [removing, setRemoving] = useState<Relationship | null>(null);
  const list = useQuery({
    queryKey: [...relationshipsKey, self.type, self.id],
    queryFn: () =>
      api.get<{ data: Relationship[] }>(
        withQuery('/api/v1/relationships', {
          [personId ? 'personId' : 'organizationId']: self.id,
          limit: 200,
        }),
      ),
    enabled: Boolean(self.id),
  });
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: relationshipsKey }),
      queryClient.invalidateQueries({ queryKey: ['influence'] }),
    ]);
  const remove = useMutation({
    mutationFn: (rel: Relationship) => api.delete(`/api/v1/relationships/${rel.id}`),
    onSuccess: (_, rel) => {
      const id = notifications.show({
        color: 'teal',
        message: (
          <Group gap="xs" justify="space-between">
            <span>Link removed.</span>
            <Anchor
              component="button"
              size="sm"
              onClick={async () => {
                notifications.hide(id);
                try {
                  await api.post('/api/v1/relationships', {
                    type: rel.type,
                    from: { type: rel.from.type, id: rel.from.id },
                    to: { type: rel.to.type, id: rel.to.id },
                    note: rel.note,
                  });
                } catch (error) {
                  notifications.show({ color: 'red', title: 'Not restored', message: errorMessage(error) });
                }
                await refresh();
              }}
            >
              Undo
            </Anchor>
          </Group>
        ),
      });
      return refresh();
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Not removed', message: errorMessage(error) }),
    onSettled: () => setRemoving(null),
  });

  let content: React.ReactNode;
  if (list.isPending) content = <TableSkeleton rows={2} />;
  else if (list.isError) content = <QueryError error={list.error} onRetry={() => list.refetch()} />;
  else if (list.data.data.length === 0)
    content = (
      <Stack align="center" gap="xs" py="lg" c="dimmed">
        <UsersIcon size={28} />
        <Text size="sm">No relationships yet.</Text>
      </Stack>
    );
  else
    content = (
      <Stack gap={6} component="ul" p={0} m={0} aria-label="Linked parties">
        {list.data.data.map((rel) => {
          const { other, reads } = fromHere(rel, self);
          return (
            <Group
              key={rel.id}
              component="li"
              justify="space-between"
              wrap="nowrap"
              style={{ listStyle: 'none' }}
            >
              <Group gap="xs">
                <Badge variant="light">{reads}</Badge>
                <Anchor component={Link} to={partyPath(other)}>
                  {other.name}
                </Anchor>
                {other.type === 'organization' && (
                  <Text size="xs" c="dimmed">
                    organization
                  </Text>
                )}
                {rel.note && (
                  <Text size="sm" c="dimmed">
                    — {rel.note}
                  </Text>
                )}
              </Group>
              {can('relationships.write') && (
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Unlink ${other.name} (${reads})`}
                  onClick={() => setRemoving(rel)}
                >
                  ×
                </ActionIcon>
              )}
            </Group>
          );
        })}
      </Stack>
    );

  return (
    <Stack gap="sm">
      {content}
      {can('relationships.write') && <AddLink self={self} onAdded={refresh} />}
      <ConfirmModal
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        title="Remove this link?"
        confirmLabel="Remove link"
        loading={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing)}
      >
        {removing
          ? `${removing.from.name} ${removing.label} ${removing.to.name}: this link will be removed. You can undo it right after.`
          : ''}
      </ConfirmModal>
    </Stack>
  );
}
