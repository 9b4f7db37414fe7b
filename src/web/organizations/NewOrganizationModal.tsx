import { Button, Group, Modal, SimpleGrid, Stack, TagsInput, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { createOrganizationInput, type Organization } from '../../shared/organizations.ts';
import { api, errorMessage } from '../app/api.ts';
import { FormError } from '../app/ui.tsx';
import { fieldErrors } from '../people/person/draft.ts';

export function NewOrganizationModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [domains, setDomains] = useState<string[]>([]);
  const [industry, setIndustry] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = createOrganizationInput.safeParse({ name, domains, industry: industry || null });
    if (!checked.success) {
      setErrors({ name: 'Name is required.' });
      return;
    }
    setSaving(true);
    setFormError(null);
    try {
      const created = await api.post<Organization>('/api/v1/organizations', checked.data);
      queryClient.invalidateQueries({ queryKey: ['organizations'] });
      notifications.show({ message: `${created.name} added.` });
      setName('');
      setDomains([]);
      setIndustry('');
      onClose();
      navigate(`/organizations/${created.id}`);
    } catch (error) {
      const found = fieldErrors(error);
      setErrors(found);
      if (Object.keys(found).length === 0) setFormError(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="New organization" centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError message={formError} />
          <TextInput
            label="Name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            data-autofocus
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <TagsInput
              label="Domains"
              placeholder="example.com, Enter"
              value={domains}
              onChange={setDomains}
              error={Object.entries(errors).find(([k]) => k.startsWith('domains'))?.[1]}
            />
            <TextInput
              label="Industry"
              value={industry}
              onChange={(e) => setIndustry(e.currentTarget.value)}
            />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              Create organization
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
