import {
  Alert,
  Anchor,
  Button,
  Group,
  SimpleGrid,
  Stack,
  Tabs,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDisclosure, useDocumentTitle, useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { Organization, OrganizationFieldsInput } from '../../shared/organizations.ts';
import { ApiError, api, errorMessage } from '../app/api.ts';
import { AlertIcon } from '../app/icons.tsx';
import { SaveBar } from '../app/SaveBar.tsx';
import { useCan } from '../app/session.ts';
import { ConfirmModal, formatDate, isNotFound, NotFound, QueryError, TableSkeleton } from '../app/ui.tsx';
import { useUnsavedGuard } from '../app/unsaved.ts';
import { LogInteractionModal } from '../interactions/LogInteractionModal.tsx';
import { Timeline } from '../interactions/PersonTimeline.tsx';
import { organizationKey, useCustomFields, useOrganization } from '../people/api.ts';
import { DeletedRecord } from '../people/DeletedRecord.tsx';
import { OrganizationName } from '../people/list/columns.tsx';
import { CustomFieldsEditor } from '../people/person/CustomFieldsEditor.tsx';
import { changedFields, errorAt, fieldErrors } from '../people/person/draft.ts';
import { NotesEditor } from '../people/person/NotesEditor.tsx';
import { FormSection } from '../people/person/PersonForm.tsx';
import { RelationshipsPanel } from '../relationships/RelationshipsPanel.tsx';
import { OrganizationPeople } from './OrganizationPeople.tsx';
import { OrganizationPicker } from './OrganizationPicker.tsx';

type Draft = Required<OrganizationFieldsInput>;

function draftOf(org: Organization): Draft {
  return {
    name: org.name,
    domains: [...org.domains],
    industry: org.industry,
    size: org.size,
    address: org.address ? { ...org.address } : null,
    parentId: org.parentId,
    tags: [...org.tags],
    customFields: { ...(org.customFields as Draft['customFields']) },
    notes: org.notes,
  };
}

export function OrganizationPage() {
  const { id = '' } = useParams();
  const query = useOrganization(id);
  if (query.isPending) return <TableSkeleton rows={6} />;
  if (query.isError) {
    if (isNotFound(query.error))
      return (
        <DeletedRecord
          kind="organizations"
          id={id}
          notFound={
            <NotFound
              title="Organization not found"
              text="It does not exist in your workspace, or was deleted."
              backTo="/organizations"
              backLabel="Back to organizations"
            />
          }
        />
      );
    return <QueryError error={query.error} onRetry={() => query.refetch()} />;
  }
  return <OrganizationView key={query.data.id} org={query.data} onReload={() => query.refetch()} />;
}

function OrganizationView({ org, onReload }: { org: Organization; onReload: () => Promise<unknown> }) {
  const can = useCan();
  const editable = can('organizations.write');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const customFields = useCustomFields('organization');
  useDocumentTitle(`${org.name} · Rapport`);
  const [loaded, setLoaded] = useState(() => ({ version: org.version, base: draftOf(org) }));
  const [draft, setDraft] = useState<Draft>(loaded.base);
  const changes = useMemo(() => changedFields(loaded.base, draft), [loaded.base, draft]);
  const dirty = Object.keys(changes).length > 0;
  const guard = useUnsavedGuard(dirty, 'This organization has unsaved changes');
  if (org.version !== loaded.version && !dirty) {
    const base = draftOf(org);
    setLoaded({ version: org.version, base });
    setDraft(base);
  }
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);
  const [confirmDelete, deleteDialog] = useDisclosure(false);
  const [logging, logDialog] = useDisclosure(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));
  const setAddress = (key: keyof NonNullable<Draft['address']>, value: string) =>
    set('address', { ...(draft.address ?? {}), [key]: value || null });

  const save = async () => {
    if (!dirty || saving) return;
    setSaving(true);
    setFormError(null);
    try {
      const updated = await api.patch<Organization>(`/api/v1/organizations/${org.id}`, {
        ...changes,
        version: loaded.version,
      });
      const base = draftOf(updated);
      setLoaded({ version: updated.version, base });
      setDraft(base);
      setErrors({});
      queryClient.setQueryData(organizationKey(org.id), updated);
      queryClient.invalidateQueries({ queryKey: ['organizations', 'list'] });
      notifications.show({ message: 'Saved.', autoClose: 2500 });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) setConflict(true);
      else {
        const found = fieldErrors(error);
        setErrors(found);
        setFormError(Object.keys(found).length ? 'Check the highlighted fields.' : errorMessage(error));
      }
    } finally {
      setSaving(false);
    }
  };
  const reload = async () => {
    const result = (await onReload()) as { data?: Organization };
    const base = draftOf(result.data ?? org);
    setLoaded({ version: (result.data ?? org).version, base });
    setDraft(base);
    setConflict(false);
    setFormError(null);
  };
  const remove = async () => {
    try {
      await api.delete(`/api/v1/organizations/${org.id}`);
      deleteDialog.close();
      queryClient.invalidateQueries({ queryKey: ['organizations', 'list'] });
      // Its people were detached from it (and are linked back by the undo).
      queryClient.invalidateQueries({ queryKey: ['people'] });
      const notificationId = notifications.show({
        message: (
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{org.name} deleted.</Text>
            <Button
              size="compact-xs"
              variant="light"
              onClick={async () => {
                notifications.hide(notificationId);
                await api
                  .post(`/api/v1/organizations/${org.id}/restore`)
                  .catch((error) => notifications.show({ color: 'red', message: errorMessage(error) }));
                queryClient.invalidateQueries({ queryKey: ['organizations'] });
                queryClient.invalidateQueries({ queryKey: ['people'] });
                navigate(`/organizations/${org.id}`);
              }}
            >
              Undo
            </Button>
          </Group>
        ),
        autoClose: 10_000,
      });
      queryClient.removeQueries({ queryKey: organizationKey(org.id) });
      guard.current = false;
      navigate('/organizations');
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not delete', message: errorMessage(error) });
    }
  };
  useHotkeys([['mod+S', () => void save()]], []);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4} style={{ flex: '1 1 300px', minWidth: 0 }}>
          <Title order={1} size="h2">
            {org.name}
          </Title>
          <Group gap="xs">
            {org.domains.map((domain) => (
              <Anchor key={domain} href={`https://${domain}`} target="_blank" rel="noreferrer" size="sm">
                {domain}
              </Anchor>
            ))}
            {org.parentId && (
              <Group gap={4}>
                <Text size="sm" c="dimmed">
                  Part of
                </Text>
                <OrganizationName id={org.parentId} link />
              </Group>
            )}
          </Group>
        </Stack>
        <Group gap="xs">
          {can('interactions.write') && <Button onClick={logDialog.open}>Log interaction</Button>}
          {can('organizations.delete') && (
            <Button variant="light" color="red" onClick={deleteDialog.open}>
              Delete
            </Button>
          )}
        </Group>
      </Group>
      {conflict && (
        <Alert
          color="orange"
          variant="light"
          icon={<AlertIcon />}
          title="This organization changed"
          role="alert"
        >
          <Stack gap="xs" align="flex-start">
            <Text size="sm">Someone else saved this organization; reload to see their changes.</Text>
            <Button size="xs" variant="default" onClick={reload}>
              Reload
            </Button>
          </Stack>
        </Alert>
      )}
      <Tabs defaultValue="people" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="people">People</Tabs.Tab>
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="timeline">Timeline</Tabs.Tab>
          <Tabs.Tab value="relationships">Relationships</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="people" pt="md">
          <OrganizationPeople organizationId={org.id} />
        </Tabs.Panel>
        <Tabs.Panel value="details" pt="md">
          <fieldset disabled={!editable} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
            <Stack gap="md">
              <FormSection title="Organization">
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput
                    label="Name"
                    value={draft.name ?? ''}
                    onChange={(e) => set('name', e.currentTarget.value)}
                    error={errorAt(errors, 'name')}
                  />
                  <TagsInput
                    label="Domains"
                    value={draft.domains ?? []}
                    onChange={(v) => set('domains', v)}
                    error={errorAt(errors, 'domains')}
                  />
                  <TextInput
                    label="Industry"
                    value={draft.industry ?? ''}
                    onChange={(e) => set('industry', e.currentTarget.value || null)}
                    error={errorAt(errors, 'industry')}
                  />
                  <TextInput
                    label="Size"
                    placeholder="11-50"
                    value={draft.size ?? ''}
                    onChange={(e) => set('size', e.currentTarget.value || null)}
                    error={errorAt(errors, 'size')}
                  />
                  <OrganizationPicker
                    label="Parent organization"
                    value={draft.parentId ?? null}
                    onChange={(v) => set('parentId', v)}
                    exclude={org.id}
                    error={errorAt(errors, 'parentId')}
                  />
                  <TagsInput
                    label="Tags"
                    value={draft.tags ?? []}
                    onChange={(v) => set('tags', v)}
                    error={errorAt(errors, 'tags')}
                  />
                </SimpleGrid>
              </FormSection>
              <FormSection title="Address">
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  {(['street', 'city', 'region', 'postalCode', 'country'] as const).map((key) => (
                    <TextInput
                      key={key}
                      label={
                        {
                          street: 'Street',
                          city: 'City',
                          region: 'Region',
                          postalCode: 'Postal code',
                          country: 'Country',
                        }[key]
                      }
                      value={draft.address?.[key] ?? ''}
                      onChange={(e) => setAddress(key, e.currentTarget.value)}
                      error={errorAt(errors, `address.${key}`)}
                    />
                  ))}
                </SimpleGrid>
              </FormSection>
              <FormSection title="Custom fields">
                <CustomFieldsEditor
                  fields={customFields}
                  values={
                    (draft.customFields ?? {}) as Record<string, string | number | boolean | null | string[]>
                  }
                  onChange={(values) => set('customFields', values)}
                  errors={errors}
                />
              </FormSection>
              <FormSection title="Notes">
                <NotesEditor
                  value={draft.notes ?? null}
                  onChange={(v) => set('notes', v)}
                  error={errorAt(errors, 'notes')}
                />
              </FormSection>
            </Stack>
          </fieldset>
        </Tabs.Panel>
        <Tabs.Panel value="timeline" pt="md">
          <Timeline organizationId={org.id} />
        </Tabs.Panel>
        <Tabs.Panel value="relationships" pt="md">
          <RelationshipsPanel organizationId={org.id} />
        </Tabs.Panel>
      </Tabs>
      <SaveBar
        dirty={dirty}
        formError={formError}
        conflict={conflict}
        what="organization"
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
        Created {formatDate(org.createdAt)} · Updated {formatDate(org.updatedAt)}
      </Text>
      <ConfirmModal
        opened={confirmDelete}
        title={`Delete ${org.name}?`}
        confirmLabel="Delete"
        onClose={deleteDialog.close}
        onConfirm={remove}
      >
        The organization disappears from lists and search. Its people are kept but no longer linked to it;
        restoring it (Undo right after, or Organizations → Recently deleted for 30 days) links them back.
      </ConfirmModal>
      <LogInteractionModal opened={logging} onClose={logDialog.close} organizationId={org.id} />
    </Stack>
  );
}
