import {
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import {
  type Channel,
  channelLabels,
  channels,
  createInteractionInput,
  defaultChannel,
  type Interaction,
  type InteractionType,
  interactionTypeLabels,
  interactionTypes,
} from '../../shared/interactions.ts';
import type { Person } from '../../shared/people.ts';
import { ApiError, api, errorMessage } from '../app/api.ts';
import { FormError } from '../app/ui.tsx';
import { afterInteractionWrite } from './api.ts';
import { PeoplePicker, type PickedPerson } from './PeoplePicker.tsx';

/** `YYYY-MM-DDTHH:mm` in local time, as a datetime-local input holds it. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : undefined);

interface Draft {
  type: InteractionType;
  channel: Channel | null;
  channelTouched: boolean;
  direction: 'inbound' | 'outbound' | null;
  when: string;
  duration: number | string;
  summary: string;
  outcome: string;
  people: PickedPerson[];
  followUp: string;
}

const freshDraft = (): Draft => ({
  type: 'call',
  channel: 'phone',
  channelTouched: false,
  direction: 'outbound',
  when: toLocalInput(new Date()),
  duration: '',
  summary: '',
  outcome: '',
  people: [],
  followUp: '',
});

/** Field of a problem path: "body.personIds.1" → "personIds". */
const fieldOf = (path: string) => path.replace(/^body\./, '').split('.')[0] ?? '';
const fieldNames: Record<string, string> = {
  occurredAt: 'when',
  nextFollowUpAt: 'followUp',
  personIds: 'people',
};
/** The fields the form shows a problem under. */
const shownFields = new Set(['when', 'durationMinutes', 'summary', 'outcome', 'people', 'followUp']);

/** The quick "log a call / meeting" form, usable from any page. */
export function LogInteractionModal(props: {
  opened: boolean;
  onClose: () => void;
  personId?: string;
  organizationId?: string;
}) {
  const { opened, onClose, personId, organizationId } = props;
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(freshDraft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const person = useQuery({
    queryKey: ['people', 'one', personId ?? ''],
    queryFn: () => api.get<Person>(`/api/v1/people/${personId}`),
    enabled: Boolean(personId) && opened,
  });

  useEffect(() => {
    if (!opened) return;
    setDraft(freshDraft());
    setErrors({});
    setFormError(null);
  }, [opened]);
  const personName = person.data?.displayName;
  useEffect(() => {
    if (opened && personId && personName) {
      setDraft((current) =>
        current.people.some((p) => p.id === personId)
          ? current
          : { ...current, people: [{ id: personId, name: personName }, ...current.people] },
      );
    }
  }, [opened, personId, personName]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((current) => ({ ...current, [key]: value }));
    setErrors((current) => ({ ...current, [key]: '' }));
  };
  const setType = (type: InteractionType) =>
    setDraft((current) => ({
      ...current,
      type,
      channel: current.channelTouched ? current.channel : (defaultChannel[type] ?? null),
      direction: type === 'note' ? null : current.direction,
    }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const payload = {
      type: draft.type,
      channel: draft.channel,
      direction: draft.direction,
      occurredAt: fromLocalInput(draft.when),
      durationMinutes: draft.duration === '' ? null : Number(draft.duration),
      summary: draft.summary,
      outcome: draft.outcome.trim() || null,
      personIds: draft.people.map((p) => p.id),
      ...(organizationId ? { organizationId } : {}),
      ...(draft.followUp ? { nextFollowUpAt: fromLocalInput(draft.followUp) } : {}),
    };
    const showProblems = (problems: { path: string; message: string }[]) => {
      const next: Record<string, string> = {};
      for (const problem of problems) {
        const field = fieldOf(problem.path);
        next[fieldNames[field] ?? field] ||= problem.message;
      }
      setErrors(next);
    };
    const parsed = createInteractionInput.safeParse(payload);
    if (!parsed.success) {
      showProblems(
        parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      );
      return;
    }
    setSaving(true);
    try {
      const created = await api.post<Interaction>('/api/v1/interactions', parsed.data);
      await afterInteractionWrite(queryClient);
      notifications.show({ color: 'teal', message: `${interactionTypeLabels[created.type]} logged.` });
      onClose();
    } catch (error) {
      // Problems with a field of the form show under it; any other (say, an organization deleted
      // meanwhile) goes in the banner with the rest of the message.
      if (error instanceof ApiError && error.errors.length > 0) showProblems(error.errors);
      const allShown =
        error instanceof ApiError &&
        error.errors.length > 0 &&
        error.errors.every((problem) =>
          shownFields.has(fieldNames[fieldOf(problem.path)] ?? fieldOf(problem.path)),
        );
      setFormError(allShown ? 'Some fields need fixing: see below.' : errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Log an interaction" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormError message={formError} />
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
            <Select
              label="Type"
              data={interactionTypes.map((type) => ({ value: type, label: interactionTypeLabels[type] }))}
              value={draft.type}
              onChange={(value) => value && setType(value as InteractionType)}
              allowDeselect={false}
              data-autofocus
            />
            <Select
              label="Channel"
              data={channels.map((channel) => ({ value: channel, label: channelLabels[channel] }))}
              value={draft.channel}
              onChange={(value) =>
                setDraft((d) => ({ ...d, channel: value as Channel | null, channelTouched: true }))
              }
              clearable
            />
            <Select
              label="Direction"
              data={[
                { value: 'outbound', label: 'Outbound (we reached out)' },
                { value: 'inbound', label: 'Inbound (they reached out)' },
              ]}
              value={draft.direction}
              onChange={(value) => set('direction', value as Draft['direction'])}
              clearable
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <TextInput
              label="When"
              type="datetime-local"
              value={draft.when}
              onChange={(event) => set('when', event.currentTarget.value)}
              error={errors.when}
            />
            <NumberInput
              label="Duration (minutes)"
              min={0}
              max={100000}
              allowDecimal={false}
              value={draft.duration}
              onChange={(value) => set('duration', value)}
              error={errors.durationMinutes}
            />
          </SimpleGrid>
          <Textarea
            label="Summary"
            placeholder="What was said or done"
            autosize
            minRows={3}
            required
            value={draft.summary}
            onChange={(event) => set('summary', event.currentTarget.value)}
            error={errors.summary}
          />
          <TextInput
            label="Outcome"
            placeholder="e.g. Sent a quote"
            value={draft.outcome}
            onChange={(event) => set('outcome', event.currentTarget.value)}
            error={errors.outcome}
          />
          <PeoplePicker
            value={draft.people}
            onChange={(people) => set('people', people)}
            error={errors.people}
          />
          {organizationId && draft.people.length === 0 && (
            <Text size="xs" c="dimmed">
              Without people, the interaction is linked to the organization only.
            </Text>
          )}
          <TextInput
            label="Next follow-up"
            description="Sets the next follow-up date of everyone above."
            type="datetime-local"
            value={draft.followUp}
            onChange={(event) => set('followUp', event.currentTarget.value)}
            error={errors.followUp}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
