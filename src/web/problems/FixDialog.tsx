import { Alert, Anchor, Button, Group, List, Modal, Paper, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Item } from '../../shared/listening.ts';
import { fixProblemInput, type ProblemRecord } from '../../shared/problems.ts';
import { api } from '../app/api.ts';
import { useZodForm } from '../app/form.ts';
import { AlertIcon } from '../app/icons.tsx';
import { FormError } from '../app/ui.tsx';
import { type FixOutcome, readFixOutcome } from './api.ts';

export const defaultFixMessage = `Dear {{name}},

Thank you for telling us about "{{subject}}". Thanks to your report and others like it we found the cause and fixed it.

We are sorry for the trouble, and grateful that you took the time to let us know.`;

/** {{name}} and {{subject}} filled in the way the server does it, for the preview. */
export function fillPreview(text: string, values: { name: string; subject: string }): string {
  return text.replace(/\{\{\s*(name|subject)\s*\}\}/g, (_, key: 'name' | 'subject') => values[key]);
}

/** Distinct customers of the loaded linked items (a person, else an email or a name). */
export function customerCount(items: Item[]): number {
  const keys = new Set<string>();
  for (const item of items) {
    const key = item.personId ?? item.reporterEmail?.toLowerCase() ?? item.reporterName;
    if (key) keys.add(key);
  }
  return keys.size;
}

function Outcome({ outcome, onClose }: { outcome: FixOutcome; onClose: () => void }) {
  return (
    <Stack>
      <Alert color="teal" variant="light" title="The problem is fixed">
        {outcome.informed.length > 0
          ? `${outcome.informed.length} customer${outcome.informed.length === 1 ? ' was' : 's were'} sent the message; each linked item records that its customer was informed.`
          : 'Every linked item records the fix.'}
      </Alert>
      {outcome.informed.length > 0 && (
        <Paper withBorder p="sm" radius="md">
          <Text size="sm" fw={600} mb={4}>
            Message sent to
          </Text>
          <List size="sm" spacing={2} aria-label="Customers who got the message">
            {outcome.informed.map((customer, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: customers may share a name
              <List.Item key={index}>
                {customer.name}
                {customer.email && customer.email !== customer.name ? ` <${customer.email}>` : ''}
              </List.Item>
            ))}
          </List>
        </Paper>
      )}
      {outcome.withoutEmail.length > 0 && (
        <Alert color="orange" variant="light" icon={<AlertIcon />} title="Inform these customers by hand">
          <Text size="sm" mb={4}>
            We have no email address for them: call or write, then record it on the item with "Inform".
          </Text>
          <List size="sm" spacing={2} aria-label="Customers without email">
            {outcome.withoutEmail.map((customer, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: customers may share a name
              <List.Item key={index}>
                {customer.name}
                {customer.itemIds.map((itemId) => (
                  <Anchor key={itemId} component={Link} to={`/items/${itemId}`} size="sm" ml="xs">
                    open item
                  </Anchor>
                ))}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Group justify="flex-end">
        <Button onClick={onClose}>Done</Button>
      </Group>
    </Stack>
  );
}

export function FixDialog({
  problem,
  items,
  opened,
  onClose,
}: {
  problem: ProblemRecord;
  /** The linked items loaded so far: for the preview and the count of customers. */
  items: Item[];
  opened: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<FixOutcome | null>(null);
  const form = useZodForm(fixProblemInput, { summary: '', message: defaultFixMessage });
  const sample = items[0];
  const preview = fillPreview(String(form.values.message ?? ''), {
    name: sample?.personName ?? sample?.reporterName ?? 'Ana Example',
    subject: sample?.subject ?? problem.title,
  });
  const customers = customerCount(items);
  const close = () => {
    setConfirming(false);
    setOutcome(null);
    form.reset();
    onClose();
  };
  const review = form.onSubmit(async () => setConfirming(true));
  const fix = form.onSubmit(async (values) => {
    try {
      const body = await api.post<unknown>(`/api/v1/problems/${problem.id}/fix`, values);
      setOutcome(readFixOutcome(body));
      notifications.show({ color: 'teal', message: 'Problem fixed; the customers are being informed.' });
    } finally {
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: ['problems'] });
      await queryClient.invalidateQueries({ queryKey: ['problem-items'] });
    }
  });

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={outcome ? 'Customers informed' : 'Mark the problem fixed'}
      size="xl"
      centered
    >
      {outcome ? (
        <Outcome outcome={outcome} onClose={close} />
      ) : confirming ? (
        <Stack>
          <Text>
            <strong>
              {customers} customer{customers === 1 ? '' : 's'}
            </strong>{' '}
            of the {problem.itemCount} linked item{problem.itemCount === 1 ? '' : 's'} (and of items merged
            into them) will each get one personal message by email. Customers without an email address are
            listed afterwards so that you can tell them by hand.
          </Text>
          <Text size="sm" c="dimmed">
            This cannot be undone: the messages go out at once.
          </Text>
          <FormError message={form.formError} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Back
            </Button>
            <Button color="teal" onClick={() => void fix()} loading={form.submitting} data-autofocus>
              Fix and inform {customers} customer{customers === 1 ? '' : 's'}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={review} noValidate>
          <Stack>
            <FormError message={form.formError} />
            <Textarea
              label="What was fixed"
              description="For the record on the problem and its items; customers do not see it."
              autosize
              minRows={2}
              required
              data-autofocus
              {...form.field('summary')}
            />
            <Textarea
              label="Message to the customers"
              description="{{name}} becomes each customer's name, {{subject}} the subject of their item."
              autosize
              minRows={6}
              required
              {...form.field('message')}
            />
            <Paper withBorder p="sm" radius="md" bg="var(--mantine-color-default-hover)">
              <Text size="xs" c="dimmed" mb={4}>
                Preview for {sample?.personName ?? sample?.reporterName ?? 'a customer'}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} aria-label="Message preview">
                {preview}
              </Text>
            </Paper>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit">Review and send</Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
