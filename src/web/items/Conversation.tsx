import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { forwardRef, useState } from 'react';
import type { ItemMessage } from '../../shared/conversation.ts';
import type { Item } from '../../shared/listening.ts';
import { ApiError, errorMessage } from '../app/api.ts';
import { QueryError } from '../app/ui.tsx';
import type { ActionRun } from './ActionModals.tsx';
import { type StaffUser, useItemMessages } from './api.ts';
import { MentionTextarea } from './MentionTextarea.tsx';

export type ComposerMode = 'reply' | 'note';

const kindStyle: Record<ItemMessage['kind'], { label: string; color: string; background: string }> = {
  inbound: { label: 'From the customer', color: 'blue', background: 'var(--mantine-color-blue-light)' },
  outbound: { label: 'To the customer', color: 'teal', background: 'var(--mantine-color-body)' },
  note: { label: 'Internal note', color: 'yellow', background: 'var(--mantine-color-yellow-light)' },
};

function Delivery({ message }: { message: ItemMessage }) {
  if (message.kind !== 'outbound' || !message.deliveryStatus) return null;
  const status = message.deliveryStatus;
  if (status === 'sent')
    return (
      <Badge size="xs" color="teal" variant="light">
        Sent
      </Badge>
    );
  // The outbox keeps a failed mail queued while it retries; "failed" is final.
  const [label, color, variant] =
    status === 'failed'
      ? ['Failed', 'red', 'filled']
      : status === 'not_sent'
        ? ['Not sent', 'gray', 'light']
        : message.deliveryError
          ? ['Failed — retrying', 'red', 'light']
          : ['Sending…', 'gray', 'light'];
  const badge = (
    <Badge size="xs" color={color} variant={variant}>
      {label}
    </Badge>
  );
  if (!message.deliveryError) return badge;
  return (
    <Tooltip label={message.deliveryError} withArrow multiline w={280}>
      {badge}
    </Tooltip>
  );
}

/**
 * The sanitised HTML of a customer's mail, in a sandboxed frame. Remote images stay hidden (the
 * server leaves a placeholder with their alt text) until the reader asks for them: loading them
 * tells the sender that the mail was read.
 */
function FormattedMessage({ itemId, message, who }: { itemId: string; message: ItemMessage; who: string }) {
  const [showHtml, setShowHtml] = useState(false);
  const [images, setImages] = useState(false);
  const src = `/api/v1/items/${itemId}/messages/${message.id}/html${images ? '?images=1' : ''}`;
  return (
    <Stack gap={4} mt="xs">
      <Anchor component="button" type="button" size="xs" onClick={() => setShowHtml((v) => !v)}>
        {showHtml ? 'Hide the formatted version' : 'Show the formatted version (sanitised)'}
      </Anchor>
      {showHtml && message.remoteImages && (
        <Group gap="xs" wrap="wrap" role="status">
          <Text size="xs" c="dimmed">
            {images
              ? 'Remote images are shown: their senders can tell that this mail was read.'
              : 'Remote images are hidden to protect your privacy.'}
          </Text>
          <Button size="compact-xs" variant="light" onClick={() => setImages((v) => !v)}>
            {images ? 'Hide images' : 'Load images'}
          </Button>
        </Group>
      )}
      {showHtml && (
        <iframe
          key={src}
          title={`Formatted message from ${who}`}
          src={src}
          sandbox=""
          referrerPolicy="no-referrer"
          style={{
            width: '100%',
            height: 320,
            border: '1px solid var(--mantine-color-default-border)',
            borderRadius: 6,
            background: 'white',
          }}
        />
      )}
    </Stack>
  );
}

function MessageCard({ itemId, message }: { itemId: string; message: ItemMessage }) {
  const style = kindStyle[message.kind];
  const who =
    message.authorName ?? message.fromAddress ?? (message.kind === 'inbound' ? 'Customer' : 'Rapport');
  return (
    <Card
      withBorder
      padding="sm"
      radius="md"
      style={{
        background: style.background,
        borderLeft: `4px solid var(--mantine-color-${style.color}-filled)`,
        marginLeft: message.kind === 'inbound' ? 0 : 'min(6%, 40px)',
        marginRight: message.kind === 'inbound' ? 'min(6%, 40px)' : 0,
      }}
      aria-label={`${style.label} from ${who}`}
    >
      <Group justify="space-between" gap={6} mb={4} wrap="wrap">
        <Group gap={6}>
          <Badge size="xs" color={style.color} variant="light">
            {style.label}
          </Badge>
          <Text size="sm" fw={600}>
            {who}
          </Text>
          {message.kind === 'outbound' && message.toAddress && (
            <Text size="xs" c="dimmed">
              to {message.toAddress}
            </Text>
          )}
          <Delivery message={message} />
        </Group>
        <Text size="xs" c="dimmed" title={new Date(message.createdAt).toLocaleString()}>
          {new Date(message.createdAt).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })}
        </Text>
      </Group>
      {message.subject && message.kind !== 'note' && (
        <Text size="xs" c="dimmed" mb={4}>
          Subject: {message.subject}
        </Text>
      )}
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {message.bodyText}
      </Text>
      {message.hasHtml && <FormattedMessage itemId={itemId} message={message} who={who} />}
      {message.attachments.length > 0 && (
        <Group gap={6} mt="xs">
          {message.attachments.map((file) => (
            <Anchor
              key={file.id}
              href={`/api/v1/items/${itemId}/attachments/${file.id}`}
              size="xs"
              download={file.filename}
            >
              📎 {file.filename} ({Math.max(1, Math.round(file.sizeBytes / 1024))} KB)
            </Anchor>
          ))}
        </Group>
      )}
    </Card>
  );
}

export const Conversation = forwardRef<
  HTMLTextAreaElement,
  {
    item: Item;
    run: ActionRun;
    staff: StaffUser[];
    mode: ComposerMode;
    onMode: (mode: ComposerMode) => void;
    canWrite: boolean;
  }
>(function Conversation({ item, run, staff, mode, onMode, canWrite }, composerRef) {
  const messages = useItemMessages(item.id);
  const [text, setText] = useState('');
  const [wait, setWait] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hasEmail = Boolean(item.reporterEmail || item.personId);

  const submit = async () => {
    if (!text.trim()) {
      setError(mode === 'reply' ? 'Write the reply.' : 'Write the note.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (mode === 'reply') await run('reply', { body: text, waitOnCustomer: wait });
      else await run('note', { body: text });
      setText('');
      setWait(false);
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.errors[0] ? caught.errors[0].message : errorMessage(caught),
      );
    } finally {
      setBusy(false);
    }
  };
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      void submit();
    }
  };

  const list = messages.data?.data ?? [];
  // An item that arrived by mail starts with that mail: its body is not shown a second time.
  const openedByMail = list[0]?.kind === 'inbound' && list[0].bodyText.trim() === item.body.trim();
  return (
    <Stack gap="sm">
      {item.body && !openedByMail && (
        <Card
          withBorder
          padding="sm"
          radius="md"
          style={{ borderLeft: '4px solid var(--mantine-color-blue-filled)' }}
        >
          <Text size="xs" c="dimmed" mb={4}>
            What the customer said (
            {new Date(item.createdAt).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })})
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {item.body}
          </Text>
        </Card>
      )}
      {messages.isPending && <Loader size="sm" />}
      {messages.isError && <QueryError error={messages.error} onRetry={() => messages.refetch()} />}
      {messages.isSuccess && list.length === 0 && (
        <Text size="sm" c="dimmed">
          No messages or notes yet.
        </Text>
      )}
      {list.map((message) => (
        <MessageCard key={message.id} itemId={item.id} message={message} />
      ))}
      {canWrite && (
        <Card withBorder padding="sm" radius="md">
          <Stack gap="xs">
            <SegmentedControl
              size="xs"
              value={mode}
              onChange={(value) => onMode(value as ComposerMode)}
              data={[
                { value: 'reply', label: 'Reply to the customer' },
                { value: 'note', label: 'Internal note' },
              ]}
              style={{ alignSelf: 'flex-start' }}
            />
            {mode === 'reply' && !hasEmail && (
              <Alert color="yellow" variant="light">
                No email address is known for this customer, so a reply cannot be sent. Tell them by phone or
                in person and record it with Inform.
              </Alert>
            )}
            {mode === 'reply' ? (
              <Textarea
                ref={composerRef}
                aria-label="Your reply to the customer"
                placeholder="Write to the customer (sent by email; their answer comes back here)"
                autosize
                minRows={3}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                onKeyDown={onKeyDown}
                error={error}
              />
            ) : (
              <MentionTextarea
                ref={composerRef}
                aria-label="Your internal note"
                placeholder="Only staff see this. Type @ to mention a colleague."
                autosize
                minRows={3}
                value={text}
                onChange={setText}
                staff={staff}
                onKeyDown={onKeyDown}
                error={error}
                styles={{ input: { background: 'var(--mantine-color-yellow-light)' } }}
              />
            )}
            <Group justify="space-between">
              {mode === 'reply' ? (
                <Checkbox
                  size="xs"
                  label="Then wait on the customer (pauses the SLA)"
                  checked={wait}
                  onChange={(e) => setWait(e.currentTarget.checked)}
                />
              ) : (
                <Text size="xs" c="dimmed">
                  Never sent to the customer.
                </Text>
              )}
              <Button size="xs" onClick={submit} loading={busy}>
                {mode === 'reply' ? 'Send reply' : 'Add note'} (Ctrl+Enter)
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
    </Stack>
  );
});
