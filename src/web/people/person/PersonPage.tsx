import { Alert, Anchor, Button, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useDisclosure, useDocumentTitle, useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { deriveDisplayName } from '../../../shared/people.ts';
import { ApiError, api, errorMessage } from '../../app/api.ts';
import { AlertIcon } from '../../app/icons.tsx';
import { SaveBar } from '../../app/SaveBar.tsx';
import { useCan } from '../../app/session.ts';
import { ConfirmModal, formatDate, isNotFound, NotFound, QueryError, TableSkeleton } from '../../app/ui.tsx';
import { useUnsavedGuard } from '../../app/unsaved.ts';
import { LogInteractionModal } from '../../interactions/LogInteractionModal.tsx';
import { Timeline } from '../../interactions/PersonTimeline.tsx';
import { LogItemForPerson, PersonItems } from '../../items/PersonItems.tsx';
import { PersonPortalPanel } from '../../portal-admin/person/PersonPortalPanel.tsx';
import { InfluenceMap } from '../../relationships/InfluenceMap.tsx';
import { RelationshipsPanel } from '../../relationships/RelationshipsPanel.tsx';
import { type PersonRecord, personKey, useCustomFields, usePerson, useUsers } from '../api.ts';
import { DeletedRecord } from '../DeletedRecord.tsx';
import { OrganizationName } from '../list/columns.tsx';
import { StageBadge } from '../stage.tsx';
import { changedFields, draftOf, fieldErrors, type PersonDraft } from './draft.ts';
import { PersonForm } from './PersonForm.tsx';
import { PersonPhoto } from './PersonPhoto.tsx';

export function PersonPage() {
  const { id = '' } = useParams();
  const query = usePerson(id);
  if (query.isPending) return <TableSkeleton rows={6} />;
  if (query.isError) {
    if (isNotFound(query.error))
      return (
        <DeletedRecord
          kind="people"
          id={id}
          notFound={
            <NotFound
              title="Person not found"
              text="This person does not exist in your workspace, or was deleted."
              backTo="/people"
              backLabel="Back to people"
            />
          }
        />
      );
    return <QueryError error={query.error} onRetry={() => query.refetch()} />;
  }
  return <PersonView key={query.data.id} person={query.data} onReload={() => query.refetch()} />;
}

const baseOf = (person: PersonRecord) => draftOf(person, deriveDisplayName(person));

function PersonView({ person, onReload }: { person: PersonRecord; onReload: () => Promise<unknown> }) {
  const can = useCan();
  const editable = can('people.write');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const users = useUsers();
  const customFields = useCustomFields('person');
  useDocumentTitle(`${person.displayName} · Rapport`);

  // The draft is based on one version; saving sends that version, so a concurrent save gives 409.
  const [loaded, setLoaded] = useState(() => ({ version: person.version, base: baseOf(person) }));
  const [draft, setDraft] = useState<PersonDraft>(loaded.base);
  const changes = useMemo(() => changedFields(loaded.base, draft), [loaded.base, draft]);
  const dirty = Object.keys(changes).length > 0;
  const guard = useUnsavedGuard(dirty, 'This person has unsaved changes');
  if (person.version !== loaded.version && !dirty) {
    const base = baseOf(person);
    setLoaded({ version: person.version, base });
    setDraft(base);
  }

  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [confirmDelete, deleteDialog] = useDisclosure(false);
  const [logging, logDialog] = useDisclosure(false);

  const set = <K extends keyof PersonDraft>(key: K, value: PersonDraft[K]) => {
    setDraft((current) => ({ ...current, [key]: value }));
    setErrors((current) => {
      const next = Object.fromEntries(Object.entries(current).filter(([path]) => path.split('.')[0] !== key));
      return Object.keys(next).length === Object.keys(current).length ? current : next;
    });
  };

  const save = async () => {
    if (!dirty || saving) return;
    setSaving(true);
    setFormError(null);
    try {
      const updated = await api.patch<PersonRecord>(`/api/v1/people/${person.id}`, {
        ...changes,
        version: loaded.version,
      });
      const base = baseOf(updated);
      setLoaded({ version: updated.version, base });
      setDraft(base);
      setErrors({});
      queryClient.setQueryData(personKey(person.id), updated);
      queryClient.invalidateQueries({ queryKey: ['people', 'list'] });
      notifications.show({ message: 'Saved.', autoClose: 2500 });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) setConflict(true);
      else {
        const found = fieldErrors(error);
        setErrors(found);
        const unplaced = Object.entries(found).find(
          ([path]) => path === '' || !((path.split('.')[0] ?? '') in draft),
        );
        setFormError(
          Object.keys(found).length === 0 || unplaced ? errorMessage(error) : 'Check the highlighted fields.',
        );
      }
    } finally {
      setSaving(false);
    }
  };

  const reload = async () => {
    const result = (await onReload()) as { data?: PersonRecord };
    const fresh = result.data ?? person;
    const base = baseOf(fresh);
    setLoaded({ version: fresh.version, base });
    setDraft(base);
    setErrors({});
    setFormError(null);
    setConflict(false);
  };

  const remove = async () => {
    setDeleting(true);
    try {
      await api.delete(`/api/v1/people/${person.id}`);
      deleteDialog.close();
      queryClient.invalidateQueries({ queryKey: ['people', 'list'] });
      const notificationId = notifications.show({
        message: (
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{person.displayName} deleted.</Text>
            <Button
              size="compact-xs"
              variant="light"
              onClick={async () => {
                notifications.hide(notificationId);
                try {
                  await api.post(`/api/v1/people/${person.id}/restore`);
                  queryClient.invalidateQueries({ queryKey: ['people'] });
                  notifications.show({ message: `${person.displayName} restored.` });
                  navigate(`/people/${person.id}`);
                } catch (error) {
                  notifications.show({ color: 'red', message: errorMessage(error) });
                }
              }}
            >
              Undo
            </Button>
          </Group>
        ),
        autoClose: 10_000,
      });
      queryClient.removeQueries({ queryKey: personKey(person.id) });
      guard.current = false;
      navigate('/people');
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not delete', message: errorMessage(error) });
    } finally {
      setDeleting(false);
    }
  };

  useHotkeys([['mod+S', () => void save()]], []);
  const [search, setSearch] = useSearchParams();
  const tab = search.get('tab') ?? 'details';
  const ownerName = users.find((user) => user.id === person.ownerId)?.name ?? null;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start" gap="sm">
        <Group gap="md" wrap="nowrap" align="center" style={{ minWidth: 0, flex: '1 1 320px' }}>
          <PersonPhoto person={person} editable={editable} />
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Group gap="xs">
              <Title order={1} size="h2">
                {person.displayName}
              </Title>
              <StageBadge stage={person.stage} size="md" />
            </Group>
            <Group gap="xs" c="dimmed" fz="sm">
              {person.jobTitle && <Text size="sm">{person.jobTitle}</Text>}
              {person.jobTitle && person.organizationId && <Text size="sm">at</Text>}
              {person.organizationId && <OrganizationName id={person.organizationId} link />}
              {person.pronouns && <Text size="sm">({person.pronouns})</Text>}
            </Group>
            <Text size="xs" c="dimmed">
              {ownerName ? `Owner: ${ownerName} · ` : ''}Last contacted{' '}
              {formatDate(person.lastContactedAt, 'never')}
            </Text>
          </Stack>
        </Group>
        <Group gap="xs">
          {can('interactions.write') && <Button onClick={logDialog.open}>Log interaction</Button>}
          <LogItemForPerson person={{ id: person.id, name: person.displayName }} />
          {can('people.delete') && (
            <Button variant="light" color="red" onClick={deleteDialog.open}>
              Delete
            </Button>
          )}
        </Group>
      </Group>

      {conflict && (
        <Alert color="orange" variant="light" icon={<AlertIcon />} title="This person changed" role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              Someone else saved this person; reload to see their changes. Your unsaved edits will be
              discarded.
            </Text>
            <Button size="xs" variant="default" onClick={reload}>
              Reload
            </Button>
          </Stack>
        </Alert>
      )}

      <Tabs
        value={tab}
        onChange={(next) => setSearch(next && next !== 'details' ? { tab: next } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="timeline">Timeline</Tabs.Tab>
          {can('items.read') && <Tabs.Tab value="items">Items</Tabs.Tab>}
          <Tabs.Tab value="relationships">Relationships</Tabs.Tab>
          <Tabs.Tab value="influence">Influence map</Tabs.Tab>
          <Tabs.Tab value="portal">Portal &amp; terms</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details" pt="md">
          <fieldset disabled={!editable} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
            <PersonForm
              personId={person.id}
              draft={draft}
              set={set}
              errors={errors}
              customFields={customFields}
              ownerName={ownerName}
            />
          </fieldset>
        </Tabs.Panel>
        <Tabs.Panel value="timeline" pt="md">
          <Timeline personId={person.id} />
        </Tabs.Panel>
        <Tabs.Panel value="items" pt="md">
          <PersonItems person={{ id: person.id, name: person.displayName }} />
        </Tabs.Panel>
        <Tabs.Panel value="relationships" pt="md">
          <RelationshipsPanel personId={person.id} />
        </Tabs.Panel>
        <Tabs.Panel value="influence" pt="md">
          <InfluenceMap personId={person.id} />
        </Tabs.Panel>
        <Tabs.Panel value="portal" pt="md">
          <PersonPortalPanel personId={person.id} />
        </Tabs.Panel>
      </Tabs>

      <SaveBar
        dirty={dirty}
        formError={formError}
        conflict={conflict}
        what="person"
        saving={saving}
        onReload={reload}
        onDiscard={() => {
          setDraft(loaded.base);
          setErrors({});
          setFormError(null);
        }}
        onSave={save}
      />

      <Text size="xs" c="dimmed">
        Created {formatDate(person.createdAt)} · Updated {formatDate(person.updatedAt)} ·{' '}
        <Anchor component={Link} to="/people" size="xs">
          All people
        </Anchor>
      </Text>

      <ConfirmModal
        opened={confirmDelete}
        title={`Delete ${person.displayName}?`}
        confirmLabel="Delete"
        loading={deleting}
        onClose={deleteDialog.close}
        onConfirm={remove}
      >
        They disappear from lists and search. You can undo right after; the audit trail is kept and an admin
        or manager can restore them for 30 days from People → More → Recently deleted.
      </ConfirmModal>
      <LogInteractionModal opened={logging} onClose={logDialog.close} personId={person.id} />
    </Stack>
  );
}
