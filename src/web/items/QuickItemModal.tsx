import {
  ActionIcon,
  Affix,
  Anchor,
  Button,
  Group,
  Kbd,
  Modal,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import {
  createItemInput,
  type Item,
  type ItemChannel,
  type ItemKind,
  itemChannelLabels,
  itemChannels,
  itemKindLabels,
  itemKinds,
  type Priority,
  priorities,
} from '../../shared/listening.ts';
import { ApiError, api, errorMessage } from '../app/api.ts';
import { Icon } from '../app/icons.tsx';
import { useCan } from '../app/session.ts';
import { FormError } from '../app/ui.tsx';
import { PeoplePicker, type PickedPerson } from '../interactions/PeoplePicker.tsx';
import { afterItemWrite, useCategories } from './api.ts';

const PlusIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M12 5v14M5 12h14" />
  </Icon>
);

/** The global shortcut that opens the quick form (n is taken by the list pages' "New"). */
export const logItemShortcut = 'i';
const openEvent = 'rapport:log-item';

export interface QuickItemPrefill {
  person?: PickedPerson;
  organizationId?: string;
}

/** Opens the quick "log an item" form from anywhere (the Shell hosts it). */
export function openQuickItem(prefill: QuickItemPrefill = {}) {
  window.dispatchEvent(new CustomEvent<QuickItemPrefill>(openEvent, { detail: prefill }));
}

interface Draft {
  kind: ItemKind;
  subject: string;
  body: string;
  people: PickedPerson[];
  reporterName: string;
  reporterEmail: string;
  channel: ItemChannel;
  priority: Priority;
  categoryId: string | null;
}
const freshDraft = (prefill: QuickItemPrefill): Draft => ({
  kind: 'complaint',
  subject: '',
  body: '',
  people: prefill.person ? [prefill.person] : [],
  reporterName: '',
  reporterEmail: '',
  channel: 'phone',
  priority: 'normal',
  categoryId: null,
});

const fieldOf = (path: string) => path.replace(/^body\./, '').split('.')[0] ?? '';

/** The header button, the `i` shortcut and the modal they open. */
export function LogItemButton() {
  const can = useCan();
  const [opened, { open, close }] = useDisclosure(false);
  const [prefill, setPrefill] = useState<QuickItemPrefill>({});
  const allowed = can('items.write');
  useEffect(() => {
    const onOpen = (event: Event) => {
      setPrefill((event as CustomEvent<QuickItemPrefill>).detail ?? {});
      open();
    };
    window.addEventListener(openEvent, onOpen);
    return () => window.removeEventListener(openEvent, onOpen);
  }, [open]);
  useHotkeys([
    [
      logItemShortcut,
      () => {
        if (!allowed) return;
        setPrefill({});
        open();
      },
    ],
  ]);
  if (!allowed) return null;
  const openEmpty = () => {
    setPrefill({});
    open();
  };
  return (
    <>
      <Tooltip
        label={
          <span>
            Log an item: complaint, request, praise… <Kbd size="xs">{logItemShortcut.toUpperCase()}</Kbd>
          </span>
        }
        withArrow
      >
        <ActionIcon
          variant="default"
          size="lg"
          aria-label="Log item"
          aria-keyshortcuts={logItemShortcut}
          onClick={openEmpty}
          visibleFrom="xs"
        >
          <PlusIcon />
        </ActionIcon>
      </Tooltip>
      {/* Phones have no room in the header (and no keyboard): a floating button instead. */}
      <Affix position={{ bottom: 20, right: 20 }} hiddenFrom="xs">
        <ActionIcon
          size={52}
          radius="xl"
          aria-label="Log item"
          onClick={openEmpty}
          style={{ boxShadow: 'var(--mantine-shadow-md)' }}
        >
          <PlusIcon size={26} />
        </ActionIcon>
      </Affix>
      <QuickItemModal opened={opened} onClose={close} prefill={prefill} />
    </>
  );
}

export function QuickItemModal({
  opened,
  onClose,
  prefill,
}: {
  opened: boolean;
  onClose: () => void;
  prefill: QuickItemPrefill;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const categories = useCategories();
  const [draft, setDraft] = useState<Draft>(() => freshDraft(prefill));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // A second Enter while the request runs, or while the dialog fades out after it, must not log
  // the item twice: refs see the change at once (state only after a render), and the key makes
  // the server answer a repeat with the first item.
  const submitted = useRef(false);
  const idempotencyKey = useRef('');

  useEffect(() => {
    if (!opened) return;
    submitted.current = false;
    idempotencyKey.current = crypto.randomUUID();
    setDraft(freshDraft(prefill));
    setErrors({});
    setFormError(null);
  }, [opened, prefill]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((current) => ({ ...current, [key]: value }));
    setErrors((current) => ({ ...current, [key]: '' }));
  };
  const person = draft.people[0];

  const showProblems = (problems: { path: string; message: string }[]) => {
    const next: Record<string, string> = {};
    for (const problem of problems) {
      const field = fieldOf(problem.path);
      next[field === 'personId' ? 'people' : field] ||= problem.message;
    }
    setErrors(next);
    return Object.keys(next).length > 0;
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (submitted.current) return;
    setFormError(null);
    const payload = {
      kind: draft.kind,
      channel: draft.channel,
      subject: draft.subject,
      body: draft.body,
      priority: draft.priority,
      ...(person ? { personId: person.id } : {}),
      ...(!person && draft.reporterName.trim() ? { reporterName: draft.reporterName.trim() } : {}),
      ...(!person && draft.reporterEmail.trim() ? { reporterEmail: draft.reporterEmail.trim() } : {}),
      ...(draft.categoryId ? { categoryId: draft.categoryId } : {}),
      ...(prefill.organizationId ? { organizationId: prefill.organizationId } : {}),
    };
    const parsed = createItemInput.safeParse(payload);
    if (!parsed.success) {
      showProblems(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      return;
    }
    submitted.current = true;
    setSaving(true);
    try {
      const created = await api.post<Item>('/api/v1/items', parsed.data, {
        idempotencyKey: idempotencyKey.current,
      });
      await afterItemWrite(queryClient);
      notifications.show({
        color: 'teal',
        title: `${itemKindLabels[created.kind]} #${created.ref} logged`,
        message: (
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => {
              notifications.hide(`item-${created.id}`);
              navigate(`/items/${created.id}`);
            }}
          >
            Open #{created.ref}
          </Anchor>
        ),
        id: `item-${created.id}`,
        autoClose: 8000,
      });
      onClose();
    } catch (error) {
      submitted.current = false;
      if (error instanceof ApiError && error.code === 'idempotency_mismatch') {
        // An earlier attempt of this dialog was saved though its answer was lost (a dropped
        // connection), and the draft changed since: say so, and let a new attempt through.
        idempotencyKey.current = crypto.randomUUID();
        setFormError('An earlier attempt may have been logged: check Items before logging it again.');
        return;
      }
      if (!(error instanceof ApiError && showProblems(error.errors))) setFormError(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };
  // Enter submits from one-line fields (the form does that); Ctrl/⌘+Enter also from the body.
  const submitOnModEnter = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) void submit();
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Log an item" size="lg">
      <form onSubmit={submit} noValidate onKeyDown={submitOnModEnter}>
        <Stack gap="sm">
          <FormError message={formError} />
          <div>
            <Text size="sm" fw={500} mb={4} id="quick-item-kind">
              Kind
            </Text>
            <SegmentedControl
              aria-labelledby="quick-item-kind"
              fullWidth
              size="xs"
              data={itemKinds.map((kind) => ({ value: kind, label: itemKindLabels[kind] }))}
              value={draft.kind}
              onChange={(value) => set('kind', value as ItemKind)}
              styles={{ root: { flexWrap: 'wrap' } }}
            />
          </div>
          <TextInput
            label="Subject"
            placeholder="In a few words: what did the customer say?"
            required
            data-autofocus
            value={draft.subject}
            onChange={(event) => set('subject', event.currentTarget.value)}
            error={errors.subject}
          />
          <Textarea
            label="Details"
            placeholder="What happened, in the customer's words"
            autosize
            minRows={2}
            maxRows={8}
            value={draft.body}
            onChange={(event) => set('body', event.currentTarget.value)}
            error={errors.body}
          />
          <PeoplePicker
            label="Customer"
            value={draft.people}
            onChange={(people) => set('people', people.slice(-1))}
            error={errors.people}
          />
          {!person && (
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <TextInput
                label="Or reporter name"
                value={draft.reporterName}
                onChange={(event) => set('reporterName', event.currentTarget.value)}
                error={errors.reporterName}
              />
              <TextInput
                label="Reporter email"
                description="Matched to a person, or one is created"
                type="email"
                value={draft.reporterEmail}
                onChange={(event) => set('reporterEmail', event.currentTarget.value)}
                error={errors.reporterEmail}
              />
            </SimpleGrid>
          )}
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
            <Select
              label="Channel"
              data={itemChannels.map((c) => ({ value: c, label: itemChannelLabels[c] }))}
              value={draft.channel}
              onChange={(value) => value && set('channel', value as ItemChannel)}
              allowDeselect={false}
              error={errors.channel}
            />
            <Select
              label="Priority"
              data={priorities.map((p) => ({ value: p, label: p[0]!.toUpperCase() + p.slice(1) }))}
              value={draft.priority}
              onChange={(value) => value && set('priority', value as Priority)}
              allowDeselect={false}
              error={errors.priority}
            />
            <Select
              label="Category"
              placeholder={categories.length === 0 ? 'None defined' : 'Optional'}
              data={categories.map((c) => ({ value: c.id, label: c.name }))}
              value={draft.categoryId}
              onChange={(value) => set('categoryId', value)}
              clearable
              searchable
              disabled={categories.length === 0}
              error={errors.categoryId}
            />
          </SimpleGrid>
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              <Kbd size="xs">Enter</Kbd> saves · <Kbd size="xs">Ctrl</Kbd>+<Kbd size="xs">Enter</Kbd> from the
              details
            </Text>
            <Group gap="xs">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={saving}>
                Log item
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
