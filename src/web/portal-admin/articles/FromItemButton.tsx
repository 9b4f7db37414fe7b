import { Button, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../app/api.ts';
import { useArticleFromItem } from './api.ts';

const uuidIn = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * "From a resolved item": paste the item's address (or id) and get a draft article with its
 * question and resolution, the customer's personal data left out.
 */
export function FromItemButton() {
  const [opened, dialog] = useDisclosure(false);
  const [value, setValue] = useState('');
  const fromItem = useArticleFromItem();
  const navigate = useNavigate();
  const itemId = uuidIn.exec(value)?.[0] ?? null;

  const submit = async () => {
    if (!itemId) return;
    try {
      const created = await fromItem.mutateAsync(itemId);
      dialog.close();
      navigate(`/portal-admin/articles/${created.id}`);
    } catch {
      // The error is shown in the dialog.
    }
  };

  return (
    <>
      <Button variant="default" onClick={dialog.open}>
        From a resolved item
      </Button>
      <Modal opened={opened} onClose={dialog.close} title="Turn a resolved item into an article" centered>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Stack>
            <Text size="sm" c="dimmed">
              The draft takes the item's subject as its title, and its question and resolution as its text.
              The customer's names, email addresses and phone numbers are left out; read it before publishing.
            </Text>
            <TextInput
              label="Item address or id"
              placeholder="https://…/items/0190a6c4-…"
              value={value}
              onChange={(event) => setValue(event.currentTarget.value)}
              error={
                value && !itemId
                  ? 'Paste the address of the item page (it ends with the item id).'
                  : fromItem.isError
                    ? errorMessage(fromItem.error)
                    : undefined
              }
              data-autofocus
            />
            <Button type="submit" disabled={!itemId} loading={fromItem.isPending}>
              Create draft
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
