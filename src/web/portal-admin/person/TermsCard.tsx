import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { PersonMessageSent, PersonTerms } from '../../../shared/portal-terms.ts';
import {
  type ContactPurpose,
  contactChannelLabels,
  contactChannels,
  contactFrequencyLabels,
  contactPurposeLabels,
  contactPurposes,
} from '../../../shared/portal-words.ts';
import { ApiError, api, errorMessage } from '../../app/api.ts';
import { useCan } from '../../app/session.ts';
import { FormError, formatDate, QueryError, TableSkeleton } from '../../app/ui.tsx';

const termsKey = (personId: string) => ['person-terms', personId] as const;

function Allowed({ yes }: { yes: boolean }) {
  return (
    <Badge color={yes ? 'green' : 'red'} variant="light">
      {yes ? 'Allowed' : 'Refused'}
    </Badge>
  );
}

function SendEmailModal({
  personId,
  opened,
  onClose,
}: {
  personId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [purpose, setPurpose] = useState<ContactPurpose>('service');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const send = useMutation({
    mutationFn: () =>
      api.post<PersonMessageSent>(`/api/v1/people/${personId}/messages`, { purpose, subject, body }),
    onSuccess: (sent) => {
      notifications.show({ message: `Email queued to ${sent.to}.`, autoClose: 3000 });
      void queryClient.invalidateQueries({ queryKey: termsKey(personId) });
      void queryClient.invalidateQueries({ queryKey: ['timeline'] });
      setSubject('');
      setBody('');
      onClose();
    },
  });
  const refused = send.error instanceof ApiError && send.error.status === 409 ? send.error.message : null;
  const fieldErrors = send.error instanceof ApiError ? send.error.errors : [];
  const errorOf = (field: string) => fieldErrors.find((entry) => entry.path === `body.${field}`)?.message;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Send an email under their terms" size="lg">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Select
            label="Purpose"
            description="Checked against the person's terms before anything is sent."
            data={contactPurposes.map((value) => ({ value, label: contactPurposeLabels[value] }))}
            value={purpose}
            onChange={(value) => {
              if (value) setPurpose(value as ContactPurpose);
              send.reset();
            }}
            allowDeselect={false}
            error={errorOf('purpose')}
          />
          <TextInput
            label="Subject"
            required
            value={subject}
            onChange={(event) => setSubject(event.currentTarget.value)}
            error={errorOf('subject')}
            maxLength={500}
          />
          <Textarea
            label="Message"
            required
            autosize
            minRows={5}
            value={body}
            onChange={(event) => setBody(event.currentTarget.value)}
            error={errorOf('body')}
          />
          {refused ? (
            <Alert color="red" variant="light" title="Refused by their terms" role="alert">
              {refused}
            </Alert>
          ) : (
            <FormError message={send.error && fieldErrors.length === 0 ? errorMessage(send.error) : null} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={send.isPending}>
              Send email
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A person's terms at a glance, on the person page; and sending them an email under those terms. */
export function TermsCard({ personId }: { personId: string }) {
  const can = useCan();
  const [sending, sendDialog] = useDisclosure(false);
  const query = useQuery({
    queryKey: termsKey(personId),
    queryFn: () => api.get<PersonTerms>(`/api/v1/people/${personId}/terms`),
  });
  return (
    <Card withBorder padding="md">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          Their terms
        </Title>
        {can('people.write') ? (
          <Button size="sm" onClick={sendDialog.open}>
            Send email
          </Button>
        ) : null}
      </Group>
      {query.isPending ? <TableSkeleton rows={4} /> : null}
      {query.error ? <QueryError error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.data ? <TermsTable data={query.data} /> : null}
      <SendEmailModal personId={personId} opened={sending} onClose={sendDialog.close} />
    </Card>
  );
}

function TermsTable({ data }: { data: PersonTerms }) {
  const { current, contactsLast365Days, lastContactAt } = data;
  const { terms } = current;
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {current.version === 0
          ? 'No terms set yet: the defaults apply (service messages only; no SMS; nothing shared).'
          : `Version ${current.version}, set by ${current.setBy === 'customer' ? 'the customer' : 'staff'} on ${formatDate(current.setAt)}.`}
      </Text>
      <Group gap="xs">
        {contactChannels.map((channel) => (
          <Badge key={channel} color={terms.channels[channel] ? 'green' : 'red'} variant="light">
            {contactChannelLabels[channel]}: {terms.channels[channel] ? 'yes' : 'no'}
          </Badge>
        ))}
      </Group>
      <Table.ScrollContainer minWidth={480}>
        <Table verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Purpose</Table.Th>
              <Table.Th>Allowed?</Table.Th>
              <Table.Th>How often at most</Table.Th>
              <Table.Th>Sent (365 days)</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {contactPurposes.map((purpose) => (
              <Table.Tr key={purpose}>
                <Table.Td>{contactPurposeLabels[purpose]}</Table.Td>
                <Table.Td>
                  <Allowed yes={terms.purposes[purpose]} />
                </Table.Td>
                <Table.Td>
                  {purpose === 'service' ? 'No limit' : contactFrequencyLabels[terms.frequency[purpose]]}
                </Table.Td>
                <Table.Td>
                  {contactsLast365Days[purpose]}
                  {lastContactAt[purpose] ? (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      (last {formatDate(lastContactAt[purpose])})
                    </Text>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group gap="xs">
        <Text size="sm">Sharing with third parties:</Text>
        <Allowed yes={terms.shareWithThirdParties} />
      </Group>
      {data.history.length > 1 ? (
        <Text size="xs" c="dimmed">
          Earlier versions:{' '}
          {data.history
            .slice(1)
            .map((entry) => `v${entry.version} (${formatDate(entry.setAt)})`)
            .join(', ')}
        </Text>
      ) : null}
    </Stack>
  );
}
