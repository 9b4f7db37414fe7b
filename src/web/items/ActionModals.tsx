import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import {
  type Item,
  informHows,
  type LadderLevel,
  ladderLevelLabels,
  ladderLevels,
  ladderRank,
} from '../../shared/listening.ts';
import type { MessageTemplateView } from '../../shared/listening-settings.ts';
import { ApiError, api, errorMessage } from '../app/api.ts';
import { useMe } from '../app/session.ts';
import { missingForClose, type StaffUser } from './api.ts';

type InformHow = (typeof informHows)[number];

export type ActionRun = (action: string, body?: unknown) => Promise<unknown>;
export type Dialog = 'assign' | 'escalate' | 'resolve' | 'inform' | 'thank' | 'close' | 'reopen';

const howLabels: Record<InformHow, string> = {
  email: 'Email (sent now)',
  phone: 'Phone call',
  in_person: 'In person',
  letter: 'Letter',
  portal: 'Portal',
  other: 'Other',
};
const howOptions = informHows.map((how) => ({ value: how, label: howLabels[how] }));

/** A modal form for one action: field errors from a 422 by name, anything else above the fields. */
function ActionForm({
  opened,
  title,
  submitLabel,
  onClose,
  onSubmit,
  children,
  danger,
}: {
  opened: boolean;
  title: string;
  submitLabel: string;
  onClose: () => void;
  onSubmit: () => Promise<unknown>;
  children: (errors: Record<string, string>) => ReactNode;
  danger?: boolean;
}) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (opened) {
      setErrors({});
      setFormError(null);
    }
  }, [opened]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFormError(null);
    try {
      await onSubmit();
      onClose();
    } catch (error) {
      const fields: Record<string, string> = {};
      if (error instanceof ApiError) {
        for (const problem of error.errors) {
          const key = problem.path.replace(/^body\./, '').split('.')[0] ?? '';
          fields[key] ||= problem.message;
        }
      }
      setErrors(fields);
      if (Object.keys(fields).length === 0) setFormError(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          {children(errors)}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} color={danger ? 'red' : undefined}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The thank-you template for the item's kind, filled in; a plain default when templates are unreadable. */
function useThankYouText(item: Item, enabled: boolean) {
  const me = useMe();
  const templates = useQuery({
    queryKey: ['message-templates'],
    queryFn: () => api.get<{ templates: MessageTemplateView[] }>('/api/v1/message-templates'),
    enabled,
    retry: false,
    staleTime: 5 * 60_000,
  });
  const template = templates.data?.templates.find((t) => t.purpose === 'thank_you' && t.kind === item.kind);
  const variables: Record<string, string> = {
    name: item.personName ?? item.reporterName ?? 'there',
    subject: item.subject,
    ref: String(item.ref),
    workspace: me.data?.workspace.name ?? '',
    resolution: item.resolution ?? '',
  };
  const body =
    template?.body ??
    'Hello {{name}},\n\nThank you for telling us. It helps us do better for everyone.\n\n{{workspace}}';
  return {
    ready: !templates.isPending || templates.isError || !enabled,
    text: body.replace(/\{\{\s*([a-z]+)\s*\}\}/g, (match, key: string) => variables[key] ?? match),
  };
}

export function ActionModals({
  item,
  dialog,
  onClose,
  run,
  staff,
}: {
  item: Item;
  dialog: Dialog | null;
  onClose: () => void;
  run: ActionRun;
  staff: StaffUser[];
}) {
  const [userId, setUserId] = useState<string | null>(null);
  const [level, setLevel] = useState<LadderLevel | null>(null);
  const [text, setText] = useState('');
  const [how, setHow] = useState<InformHow>('email');
  const [send, setSend] = useState(true);
  const thankYou = useThankYouText(item, dialog === 'thank');
  const missing = missingForClose(item);
  const canEmail = Boolean(item.reporterEmail || item.personId);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset the fields each time a dialog opens
  useEffect(() => {
    setText('');
    setUserId(null);
    setHow(canEmail ? 'email' : 'phone');
    setSend(true);
    const next = ladderLevels.find((l) => ladderRank(l) > ladderRank(item.escalationLevel));
    setLevel(next ?? null);
  }, [dialog, item.escalationLevel, canEmail]);
  useEffect(() => {
    if (dialog === 'thank' && thankYou.ready) setText((current) => current || thankYou.text);
  }, [dialog, thankYou.ready, thankYou.text]);

  const common = { onClose, submitLabel: '' };
  const higher = ladderLevels.filter(
    (l) => l !== 'agent' && ladderRank(l) > ladderRank(item.escalationLevel),
  );
  return (
    <>
      <ActionForm
        {...common}
        opened={dialog === 'assign'}
        title={`Assign #${item.ref}`}
        submitLabel="Assign"
        onSubmit={() => run('assign', { userId, version: item.version })}
      >
        {(errors) => (
          <Select
            label="Owner"
            description="They are notified in the app and by email."
            data={staff.map((u) => ({
              value: u.id,
              label: u.effectiveLevel ? `${u.name} (${ladderLevelLabels[u.effectiveLevel]})` : u.name,
            }))}
            value={userId}
            onChange={setUserId}
            searchable
            data-autofocus
            error={errors.userId}
          />
        )}
      </ActionForm>
      <ActionForm
        {...common}
        opened={dialog === 'escalate'}
        title={`Escalate #${item.ref}`}
        submitLabel="Escalate"
        onSubmit={() => run('escalate', { level, reason: text })}
      >
        {(errors) => (
          <>
            <Select
              label="To"
              description="Everyone at that level is notified."
              data={higher.map((l) => ({ value: l, label: ladderLevelLabels[l] }))}
              value={level}
              onChange={(value) => setLevel(value as LadderLevel | null)}
              allowDeselect={false}
              error={errors.level}
            />
            <Textarea
              label="Reason"
              placeholder="Why does this need someone higher up?"
              autosize
              minRows={3}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              error={errors.reason}
              data-autofocus
            />
          </>
        )}
      </ActionForm>
      <ActionForm
        {...common}
        opened={dialog === 'resolve'}
        title={`Resolve #${item.ref}`}
        submitLabel="Resolve"
        onSubmit={() => run('resolve', { resolution: text })}
      >
        {(errors) => (
          <Textarea
            label="Resolution"
            description="What was done. Next: inform the customer and thank them."
            autosize
            minRows={3}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={errors.resolution}
            data-autofocus
          />
        )}
      </ActionForm>
      <ActionForm
        {...common}
        opened={dialog === 'inform'}
        title={`Inform the customer of #${item.ref}`}
        submitLabel={how === 'email' && send ? 'Send and record' : 'Record'}
        onSubmit={() => run('inform', { how, summary: text, send: how === 'email' && send })}
      >
        {(errors) => (
          <>
            <HowSelect value={how} onChange={setHow} error={errors.how} />
            <Textarea
              label="What the customer was told"
              autosize
              minRows={3}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              error={errors.summary}
              data-autofocus
            />
            {how === 'email' && (
              <Checkbox
                label="Send this by email to the customer (and the customers of merged items)"
                checked={send}
                onChange={(e) => setSend(e.currentTarget.checked)}
              />
            )}
          </>
        )}
      </ActionForm>
      <ActionForm
        {...common}
        opened={dialog === 'thank'}
        title={`Thank the customer for #${item.ref}`}
        submitLabel={how === 'email' ? 'Send thank-you' : 'Record thank-you'}
        onSubmit={() => run('thank', { how, ...(text.trim() ? { body: text } : {}) })}
      >
        {(errors) => (
          <>
            <HowSelect value={how} onChange={setHow} error={errors.how} />
            <Textarea
              label="Thank-you"
              description="Prefilled from the template for this kind; make it personal."
              autosize
              minRows={5}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              error={errors.body}
              data-autofocus
            />
          </>
        )}
      </ActionForm>
      <ActionForm
        {...common}
        opened={dialog === 'close'}
        title={`Close #${item.ref}`}
        submitLabel={missing.length > 0 ? 'Close with this reason' : 'Close'}
        onSubmit={() => run('close', text.trim() ? { reason: text.trim() } : {})}
      >
        {(errors) =>
          missing.length === 0 ? (
            <Text size="sm">The customer was informed and thanked: the loop is closed.</Text>
          ) : (
            <>
              <Alert color="yellow" variant="light" title="Not ready to close" role="status">
                <Text size="sm">Before closing, {missing.join(' and ')}.</Text>
                <Text size="sm" mt={4}>
                  Inform and thank them first, or give the reason they cannot be (reported separately).
                </Text>
              </Alert>
              <TextInput
                label="Closing reason"
                placeholder="e.g. anonymous, customer unreachable"
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                error={errors.reason}
                data-autofocus
              />
              <Group gap={6}>
                {['Anonymous', 'Customer unreachable', 'Duplicate', 'Spam'].map((reason) => (
                  <Button key={reason} size="compact-xs" variant="light" onClick={() => setText(reason)}>
                    {reason}
                  </Button>
                ))}
              </Group>
            </>
          )
        }
      </ActionForm>
      <ActionForm
        {...common}
        opened={dialog === 'reopen'}
        title={`Reopen #${item.ref}?`}
        submitLabel="Reopen"
        danger
        onSubmit={() => run('reopen', text.trim() ? { reason: text.trim() } : {})}
      >
        {(errors) => (
          <TextInput
            label="Reason (optional)"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={errors.reason}
            data-autofocus
          />
        )}
      </ActionForm>
    </>
  );
}

/** How the customer was told or thanked (email, phone call, in person…). */
function HowSelect({
  value,
  onChange,
  error,
}: {
  value: InformHow;
  onChange: (how: InformHow) => void;
  error: string | undefined;
}) {
  return (
    <Select
      label="How"
      data={howOptions}
      value={value}
      onChange={(next) => next && onChange(next as InformHow)}
      allowDeselect={false}
      error={error}
    />
  );
}
