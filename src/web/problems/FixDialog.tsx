import { Alert, Anchor, Button, Group, List, Modal, Paper, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Item, ItemKind } from '../../shared/listening.ts';
import type { MessageTemplateView } from '../../shared/listening-settings.ts';
import { fixProblemInput, type ProblemFixOutcome, type ProblemRecord } from '../../shared/problems.ts';
import { api } from '../app/api.ts';
import { useZodForm } from '../app/form.ts';
import { AlertIcon } from '../app/icons.tsx';
import { useMe } from '../app/session.ts';
import { FormError, TableSkeleton } from '../app/ui.tsx';
import { type FixOutcome, readFixOutcome } from './api.ts';

export const defaultFixMessage = `Dear {{name}},

Thank you for telling us about "{{subject}}". Thanks to your report and others like it we found the cause and fixed it.

We are sorry for the trouble, and grateful that you took the time to let us know.`;

/** The placeholders filled in the way the server fills them for each customer, for the preview. */
export function fillPreview(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*([a-z]+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
}

/** The kind most linked items have: its fix-notice template is the starting text. */
function mainKind(items: Item[]): ItemKind {
  const counts = new Map<ItemKind, number>();
  for (const item of items) counts.set(item.kind, (counts.get(item.kind) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'complaint';
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
  const [outcome, setOutcome] = useState<FixOutcome | null>(null);
  const templates = useQuery({
    queryKey: ['message-templates'],
    queryFn: () => api.get<{ templates: MessageTemplateView[] }>('/api/v1/message-templates'),
    enabled: opened,
    staleTime: 60_000,
  });
  const kind = mainKind(items);
  const template = templates.data?.templates.find((t) => t.purpose === 'fix_notice' && t.kind === kind);
  const close = () => {
    setOutcome(null);
    onClose();
  };
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
      ) : !opened ? null : templates.isPending ? (
        <TableSkeleton rows={4} />
      ) : (
        <FixForm
          problem={problem}
          items={items}
          initialMessage={template?.body ?? defaultFixMessage}
          subjectTemplate={template?.subject ?? 'Fixed: {{subject}} [#{{ref}}]'}
          onOutcome={setOutcome}
          onCancel={close}
        />
      )}
    </Modal>
  );
}

function FixForm({
  problem,
  items,
  initialMessage,
  subjectTemplate,
  onOutcome,
  onCancel,
}: {
  problem: ProblemRecord;
  items: Item[];
  initialMessage: string;
  subjectTemplate: string;
  onOutcome: (outcome: FixOutcome) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const { data: me } = useMe();
  const [confirming, setConfirming] = useState(false);
  const form = useZodForm(fixProblemInput, { summary: '', message: initialMessage });
  const sample = items[0];
  const values = {
    name: sample?.personName ?? sample?.reporterName ?? 'Ana Example',
    subject: sample?.subject ?? problem.title,
    ref: String(sample?.ref ?? 1042),
    workspace: me?.workspace.name ?? '',
    summary: String(form.values.summary ?? '').trim() || '(what was fixed)',
  };
  const allLoaded = items.length >= problem.itemCount;
  const customers = customerCount(items);
  const who = allLoaded
    ? `${customers} customer${customers === 1 ? '' : 's'}`
    : `the customers of all ${problem.itemCount} linked items`;
  const review = form.onSubmit(async () => setConfirming(true));
  const fix = form.onSubmit(async (input) => {
    try {
      const body = await api.post<ProblemFixOutcome>(`/api/v1/problems/${problem.id}/fix`, input);
      onOutcome(readFixOutcome(body));
      notifications.show({ color: 'teal', message: 'Problem fixed; the customers are being informed.' });
    } finally {
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: ['problems'] });
      await queryClient.invalidateQueries({ queryKey: ['problem-items'] });
    }
  });

  if (confirming)
    return (
      <Stack>
        <Text>
          <strong>{who}</strong> of the {problem.itemCount} linked item{problem.itemCount === 1 ? '' : 's'}{' '}
          (and of items merged into them) will be informed: one personal message by email to each customer we
          have an address for. Those without one are listed afterwards so that you can tell them by hand.
        </Text>
        <Text size="sm" c="dimmed">
          This cannot be undone: the messages go out at once, and open linked items are resolved with your
          summary.
        </Text>
        <FormError message={form.formError} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setConfirming(false)}>
            Back
          </Button>
          <Button color="teal" onClick={() => void fix()} loading={form.submitting} data-autofocus>
            Fix and inform {allLoaded ? who : 'the customers'}
          </Button>
        </Group>
      </Stack>
    );
  return (
    <form onSubmit={review} noValidate>
      <Stack>
        <FormError message={form.formError} />
        <Textarea
          label="What was fixed"
          description="Recorded on the problem and as the resolution of its open items; {{summary}} in the message."
          autosize
          minRows={2}
          required
          data-autofocus
          {...form.field('summary')}
        />
        <Textarea
          label="Message to the customers"
          description="Starts from the fix-notice template. {{name}}, {{subject}}, {{ref}}, {{summary}} and {{workspace}} are filled in for each customer."
          autosize
          minRows={6}
          required
          {...form.field('message')}
        />
        <Paper
          withBorder
          p="sm"
          radius="md"
          bg="var(--mantine-color-default-hover)"
          aria-label="Message preview"
        >
          <Text size="xs" c="dimmed" mb={4}>
            Preview for {values.name}
          </Text>
          <Text size="sm" fw={600}>
            {fillPreview(subjectTemplate, values)}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {fillPreview(String(form.values.message ?? ''), values)}
          </Text>
        </Paper>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit">Review and send</Button>
        </Group>
      </Stack>
    </form>
  );
}
