import { Button, Group, Modal, Select, SimpleGrid, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { type CreatePersonInput, createPersonInput, type Stage } from '../../shared/people.ts';
import { ApiError, api, errorMessage } from '../app/api.ts';
import { FormError } from '../app/ui.tsx';
import { OrganizationPicker } from '../organizations/OrganizationPicker.tsx';
import type { PersonRecord } from './api.ts';
import { stageOptions } from './stage.tsx';

const empty = {
  givenName: '',
  familyName: '',
  email: '',
  phone: '',
  organizationId: null as string | null,
  stage: 'prospect' as Stage,
  tags: [] as string[],
};
type Values = typeof empty;

/** Where a server field problem shows in this small form. */
function fieldOf(path: string): keyof Values | null {
  const key = path.replace(/^body\.?/, '');
  if (key.startsWith('emails')) return 'email';
  if (key.startsWith('phones')) return 'phone';
  const first = key.split('.')[0] as keyof Values;
  return first in empty ? first : null;
}

/** Quick creation with the essential fields; the person page has the rest. */
export function NewPersonModal({
  opened,
  onClose,
  organizationId,
}: {
  opened: boolean;
  onClose: () => void;
  organizationId?: string;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>({ ...empty, organizationId: organizationId ?? null });
  const [errors, setErrors] = useState<Partial<Record<keyof Values, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    setErrors((current) => ({ ...current, [key]: undefined }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const payload: CreatePersonInput = {
      givenName: values.givenName || null,
      familyName: values.familyName || null,
      emails: values.email.trim() ? [{ value: values.email, label: 'work', primary: true }] : [],
      phones: values.phone.trim() ? [{ value: values.phone, label: 'mobile', primary: true }] : [],
      organizationId: values.organizationId,
      stage: values.stage,
      tags: values.tags,
    };
    const checked = createPersonInput.safeParse(payload);
    if (!checked.success) {
      setFormError(checked.error.issues[0]?.message ?? 'Check the fields.');
      return;
    }
    setSaving(true);
    try {
      const created = await api.post<PersonRecord>('/api/v1/people', checked.data);
      queryClient.invalidateQueries({ queryKey: ['people'] });
      notifications.show({ message: `${created.displayName} added.` });
      setValues({ ...empty, organizationId: organizationId ?? null });
      onClose();
      navigate(`/people/${created.id}`);
    } catch (error) {
      if (error instanceof ApiError && error.errors.length) {
        const next: typeof errors = {};
        for (const problem of error.errors) {
          const field = fieldOf(problem.path);
          if (field) next[field] = problem.message;
          else setFormError(problem.message);
        }
        setErrors(next);
      } else setFormError(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="New person" size="lg" centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError message={formError} />
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <TextInput
              label="Given name"
              value={values.givenName}
              onChange={(e) => set('givenName', e.currentTarget.value)}
              error={errors.givenName}
              data-autofocus
            />
            <TextInput
              label="Family name"
              value={values.familyName}
              onChange={(e) => set('familyName', e.currentTarget.value)}
              error={errors.familyName}
            />
            <TextInput
              label="Email"
              type="email"
              value={values.email}
              onChange={(e) => set('email', e.currentTarget.value)}
              error={errors.email}
            />
            <TextInput
              label="Phone"
              type="tel"
              value={values.phone}
              onChange={(e) => set('phone', e.currentTarget.value)}
              error={errors.phone}
            />
            <OrganizationPicker
              value={values.organizationId}
              onChange={(id) => set('organizationId', id)}
              error={errors.organizationId}
            />
            <Select
              label="Stage"
              data={stageOptions}
              value={values.stage}
              onChange={(value) => value && set('stage', value as Stage)}
              allowDeselect={false}
              comboboxProps={{ withinPortal: false }}
            />
          </SimpleGrid>
          <TagsInput
            label="Tags"
            placeholder="Type a tag, Enter"
            value={values.tags}
            onChange={(tags) => set('tags', tags)}
            error={errors.tags}
          />
          <Text size="xs" c="dimmed">
            After creating, the person's page has every other field: addresses, dates, notes, custom fields…
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              Create person
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
