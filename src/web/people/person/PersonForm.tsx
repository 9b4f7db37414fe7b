import { Card, Select, SimpleGrid, Stack, TagsInput, Text, TextInput, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { deriveDisplayName, type Stage } from '../../../shared/people.ts';
import { OrganizationPicker } from '../../organizations/OrganizationPicker.tsx';
import { type CustomFieldDefinition, useUsers } from '../api.ts';
import { stageOptions } from '../stage.tsx';
import { CustomFieldsEditor } from './CustomFieldsEditor.tsx';
import { errorAt, type PersonDraft } from './draft.ts';
import { AddressesEditor, LabelledListEditor, PairListEditor } from './ListEditors.tsx';
import { NotesEditor } from './NotesEditor.tsx';

export function FormSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder radius="md" padding="md">
      <Title order={2} size="h5" mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

/** Every field of a person, edited in place; the page saves the changed ones together. */
export function PersonForm({
  personId,
  draft,
  set,
  errors,
  customFields,
  ownerName,
}: {
  personId: string;
  draft: PersonDraft;
  set: <K extends keyof PersonDraft>(key: K, value: PersonDraft[K]) => void;
  errors: Record<string, string>;
  customFields: CustomFieldDefinition[];
  ownerName: string | null;
}) {
  const users = useUsers();
  const text = (key: keyof PersonDraft, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput
      label={label}
      value={(draft[key] as string | null) ?? ''}
      onChange={(event) => set(key, event.currentTarget.value as never)}
      error={errorAt(errors, key)}
      {...extra}
    />
  );
  const derived = deriveDisplayName(draft) ?? '';
  const ownerOptions = users.map((user) => ({ value: user.id, label: user.name }));
  if (draft.ownerId && !ownerOptions.some((option) => option.value === draft.ownerId))
    ownerOptions.push({ value: draft.ownerId, label: ownerName ?? 'Current owner' });

  return (
    <Stack gap="md">
      <FormSection title="Name">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
          {text('prefix', 'Prefix', { placeholder: 'Dr, Ms…' })}
          {text('givenName', 'Given name')}
          {text('familyName', 'Family name')}
          {text('suffix', 'Suffix', { placeholder: 'Jr, PhD…' })}
          {text('nickname', 'Nickname')}
          {text('pronouns', 'Pronouns', { placeholder: 'she/her, they/them…' })}
          {text('displayName', 'Display name', { placeholder: derived || 'From the name parts' })}
          {text('jobTitle', 'Job title')}
        </SimpleGrid>
      </FormSection>

      <FormSection title="Relationship to us">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
          <Select
            label="Stage"
            data={stageOptions}
            value={draft.stage}
            onChange={(value) => value && set('stage', value as Stage)}
            allowDeselect={false}
            error={errorAt(errors, 'stage')}
          />
          <Select
            label="Owner"
            placeholder="No owner"
            data={ownerOptions}
            value={draft.ownerId ?? null}
            onChange={(value) => set('ownerId', value)}
            clearable
            searchable
            disabled={users.length === 0}
            error={errorAt(errors, 'ownerId')}
          />
          <OrganizationPicker
            value={draft.organizationId ?? null}
            onChange={(value) => set('organizationId', value)}
            error={errorAt(errors, 'organizationId')}
          />
          {text('source', 'Source', { placeholder: 'How we met, who referred them' })}
          {text('birthday', 'Birthday', { type: 'date' })}
        </SimpleGrid>
        <TagsInput
          mt="sm"
          label="Tags"
          placeholder="Type a tag, Enter"
          value={draft.tags ?? []}
          onChange={(tags) => set('tags', tags)}
          error={errorAt(errors, 'tags')}
          clearable
        />
      </FormSection>

      <FormSection title="Contact">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" verticalSpacing="lg">
          <LabelledListEditor
            title="Emails"
            field="emails"
            itemName="email"
            inputType="email"
            items={draft.emails ?? []}
            onChange={(items) => set('emails', items)}
            labels={['work', 'home', 'other']}
            errors={errors}
          />
          <LabelledListEditor
            title="Phones"
            field="phones"
            itemName="phone"
            inputType="tel"
            items={draft.phones ?? []}
            onChange={(items) => set('phones', items)}
            labels={['mobile', 'work', 'home', 'other']}
            errors={errors}
          />
          <LabelledListEditor
            title="Websites"
            field="websites"
            itemName="website"
            inputType="url"
            items={draft.websites ?? []}
            onChange={(items) => set('websites', items)}
            labels={['work', 'personal', 'blog', 'other']}
            errors={errors}
          />
          <PairListEditor
            title="Social"
            field="social"
            itemName="social handle"
            items={draft.social ?? []}
            onChange={(items) => set('social', items)}
            first={{
              key: 'service',
              label: 'Service',
              options: ['linkedin', 'x', 'mastodon', 'github', 'instagram'],
            }}
            second={{ key: 'handle', label: 'Handle' }}
            errors={errors}
          />
          <AddressesEditor
            items={draft.addresses ?? []}
            onChange={(items) => set('addresses', items)}
            errors={errors}
          />
          <PairListEditor
            title="Important dates"
            field="importantDates"
            itemName="date"
            items={draft.importantDates ?? []}
            onChange={(items) => set('importantDates', items)}
            first={{ key: 'label', label: 'What', options: ['anniversary', 'first purchase', 'renewal'] }}
            second={{ key: 'date', label: 'Date', type: 'date' }}
            errors={errors}
          />
        </SimpleGrid>
      </FormSection>

      <FormSection title="Custom fields">
        <CustomFieldsEditor
          fields={customFields}
          values={(draft.customFields ?? {}) as Record<string, string | number | boolean | null | string[]>}
          onChange={(values) => set('customFields', values)}
          errors={errors}
        />
      </FormSection>

      <FormSection title="Notes">
        <NotesEditor
          value={draft.notes ?? null}
          onChange={(value) => set('notes', value)}
          error={errorAt(errors, 'notes')}
          historyPath={`/api/v1/people/${personId}/notes-history`}
        />
        <Text size="xs" c="dimmed" mt={4}>
          Every saved version of the notes is kept.
        </Text>
      </FormSection>
    </Stack>
  );
}
