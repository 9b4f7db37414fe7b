import { Avatar, FileButton, Group, Menu, Tooltip, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, errorMessage } from '../../app/api.ts';
import { useMe } from '../../app/session.ts';
import { type PersonRecord, personKey } from '../api.ts';
import { initials } from '../list/columns.tsx';

async function uploadPhoto(personId: string, file: File, csrfToken: string | undefined): Promise<void> {
  const form = new FormData();
  form.append('file', file);
  const response = await fetch(`/api/v1/people/${personId}/photo`, {
    method: 'PUT',
    body: form,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', ...(csrfToken ? { 'X-CSRF-Token': csrfToken } : {}) },
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { detail?: string; code?: string };
    throw new ApiError(
      response.status,
      body.code ?? 'error',
      body.detail ?? `Upload failed (${response.status}).`,
    );
  }
}

/** The person's photo (or initials); a click offers to upload a new one or remove it. */
export function PersonPhoto({ person, editable }: { person: PersonRecord; editable: boolean }) {
  const me = useMe();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: personKey(person.id) });
  const avatar = (
    <Avatar
      src={person.photoUrl}
      size={72}
      radius="xl"
      color="indigo"
      alt={`Photo of ${person.displayName}`}
      style={{ opacity: busy ? 0.5 : 1 }}
    >
      {initials(person.displayName)}
    </Avatar>
  );
  if (!editable) return avatar;

  const onFile = async (file: File | null) => {
    if (!file) return;
    setBusy(true);
    try {
      await uploadPhoto(person.id, file, me.data?.csrfToken ?? undefined);
      notifications.show({ message: 'Photo updated.' });
      await refresh();
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not upload the photo', message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setBusy(true);
    try {
      await api.delete(`/api/v1/people/${person.id}/photo`);
      await refresh();
    } catch (error) {
      notifications.show({ color: 'red', message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Menu withArrow position="bottom-start">
      <Menu.Target>
        <Tooltip label="Change photo" withArrow>
          <UnstyledButton aria-label="Change photo" style={{ borderRadius: 999 }}>
            {avatar}
          </UnstyledButton>
        </Tooltip>
      </Menu.Target>
      <Menu.Dropdown>
        <FileButton onChange={onFile} accept="image/png,image/jpeg,image/gif">
          {(props) => (
            <Menu.Item {...props} closeMenuOnClick>
              <Group gap={6}>Upload a photo…</Group>
            </Menu.Item>
          )}
        </FileButton>
        {person.photoUrl && (
          <Menu.Item color="red" onClick={remove}>
            Remove photo
          </Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
