import {
  Button,
  Group,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useMemo, useState } from 'react';
import { itemChannels } from '../../shared/listening.ts';
import {
  type CostSettingsBody,
  type CostSettingsVersion,
  costSettingsBody,
} from '../../shared/metric-costs.ts';
import { ApiError, errorMessage } from '../app/api.ts';
import { ConfirmModal, FormError } from '../app/ui.tsx';
import { useAddCostSettings } from './api.ts';
import { CostPreview } from './CostPreview.tsx';
import { channelLabel, day, dayBefore, todayLocal } from './format.ts';

type Amount = number | string;
interface Draft {
  effectiveFrom: string;
  currency: string;
  hourlyCost: Amount;
  perContact: Record<string, Amount>;
  handlingMinutes: Record<string, Amount>;
}

/** The draft as the API payload: empty fields left out (a channel left empty counts 0). */
function payload(draft: Draft): Record<string, unknown> {
  const numbers = (map: Record<string, Amount>) =>
    Object.fromEntries(Object.entries(map).filter(([, value]) => value !== ''));
  return {
    effectiveFrom: draft.effectiveFrom,
    currency: draft.currency,
    ...(draft.hourlyCost === '' ? {} : { hourlyCost: draft.hourlyCost }),
    perContact: numbers(draft.perContact),
    handlingMinutes: numbers(draft.handlingMinutes),
  };
}

const sentence = (message: string) => {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
};

/** Field messages by path ("perContact.phone"), from the shared schema or the server. */
function fieldErrors(issues: { path: readonly PropertyKey[] | string; message: string }[]) {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const path = Array.isArray(issue.path)
      ? issue.path.map(String).join('.')
      : String(issue.path).replace(/^body\./, '');
    errors[path] ??= sentence(issue.message);
  }
  return errors;
}

function initialDraft(basis: CostSettingsVersion | undefined): Draft {
  return {
    effectiveFrom: todayLocal(),
    currency: basis?.currency ?? 'EUR',
    hourlyCost: basis?.hourlyCost ?? '',
    perContact: { ...(basis?.perContact ?? {}) },
    handlingMinutes: { ...(basis?.handlingMinutes ?? {}) },
  };
}

/**
 * What a back-dated version changes: the items from its day until the next version (or today)
 * are repriced. Null when nothing already recorded changes.
 */
function backdating(effectiveFrom: string, versions: CostSettingsVersion[]) {
  const today = todayLocal();
  if (effectiveFrom >= today) return null;
  const next = versions
    .filter((v) => v.status !== 'superseded' && v.effectiveFrom > effectiveFrom)
    .map((v) => v.effectiveFrom)
    .sort()[0];
  const until = next && next <= today ? dayBefore(next) : today;
  const replaces = versions.some((v) => v.status !== 'superseded' && v.effectiveFrom === effectiveFrom);
  return { from: effectiveFrom, until, replaces };
}

export function CostSettingsForm({
  versions,
  basis,
}: {
  versions: CostSettingsVersion[];
  /** The version the form starts from (the one in force), if any. */
  basis: CostSettingsVersion | undefined;
}) {
  const [draft, setDraft] = useState<Draft>(() => initialDraft(basis));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<ReturnType<typeof backdating>>(null);
  const add = useAddCostSettings();

  const parsed = useMemo(() => costSettingsBody.safeParse(payload(draft)), [draft]);
  const [debounced] = useDebouncedValue(parsed.success ? parsed.data : null, 400);

  const set = (changes: Partial<Draft>, touched: string[]) => {
    setDraft((current) => ({ ...current, ...changes }));
    setErrors((current) => {
      const next = { ...current };
      for (const key of touched) delete next[key];
      return next;
    });
  };
  const setChannel = (map: 'perContact' | 'handlingMinutes', channel: string, value: Amount) =>
    set({ [map]: { ...draft[map], [channel]: value } }, [`${map}.${channel}`, map]);

  const save = async (body: CostSettingsBody) => {
    setConfirming(null);
    try {
      const saved = await add.mutateAsync(body);
      notifications.show({
        color: 'teal',
        message:
          saved.status === 'scheduled'
            ? `Saved. These costs apply from ${day(saved.effectiveFrom)}.`
            : 'Saved. The cost metrics now use these costs.',
      });
      setDraft(initialDraft(saved));
    } catch (error) {
      if (error instanceof ApiError && error.errors.length > 0) {
        setErrors(fieldErrors(error.errors));
        setFormError(null);
      } else setFormError(errorMessage(error));
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error.issues));
      return;
    }
    const change = backdating(parsed.data.effectiveFrom, versions);
    if (change) setConfirming(change);
    else void save(parsed.data);
  };

  const channelError = (map: 'perContact' | 'handlingMinutes', channel: string) =>
    errors[`${map}.${channel}`];

  return (
    <Paper withBorder p="md" radius="md" maw={960}>
      <form onSubmit={submit} noValidate aria-labelledby="new-cost-version">
        <Stack>
          <Title order={2} size="h4" id="new-cost-version">
            {basis ? 'Change the costs from a date' : 'Set the costs'}
          </Title>
          <Text size="sm" c="dimmed">
            A new version applies to the items created on or after its date (workspace time zone). Items
            created earlier keep the price of the version in force then.
          </Text>
          <FormError message={formError} />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              type="date"
              label="In force from"
              required
              value={draft.effectiveFrom}
              onChange={(e) => set({ effectiveFrom: e.currentTarget.value }, ['effectiveFrom'])}
              error={errors.effectiveFrom}
            />
            <TextInput
              label="Currency"
              description="Three letters, e.g. EUR"
              required
              maxLength={3}
              value={draft.currency}
              onChange={(e) => set({ currency: e.currentTarget.value }, ['currency'])}
              error={errors.currency}
            />
            <NumberInput
              label="Hourly staff cost"
              description="What one hour of handling time costs"
              required
              min={0}
              decimalScale={2}
              value={draft.hourlyCost}
              onChange={(value) => set({ hourlyCost: value }, ['hourlyCost'])}
              error={errors.hourlyCost}
            />
          </SimpleGrid>
          <Table.ScrollContainer minWidth={420}>
            <Table verticalSpacing={4} aria-label="Costs by channel">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Channel</Table.Th>
                  <Table.Th>Cost per contact</Table.Th>
                  <Table.Th>Estimated handling minutes</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {itemChannels.map((channel) => (
                  <Table.Tr key={channel}>
                    <Table.Td>{channelLabel(channel)}</Table.Td>
                    <Table.Td>
                      <NumberInput
                        size="xs"
                        aria-label={`Cost per contact, ${channelLabel(channel)}`}
                        placeholder="0"
                        min={0}
                        decimalScale={2}
                        value={draft.perContact[channel] ?? ''}
                        onChange={(value) => setChannel('perContact', channel, value)}
                        error={channelError('perContact', channel)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <NumberInput
                        size="xs"
                        aria-label={`Estimated handling minutes, ${channelLabel(channel)}`}
                        placeholder="0"
                        min={0}
                        allowDecimal={false}
                        value={draft.handlingMinutes[channel] ?? ''}
                        onChange={(value) => setChannel('handlingMinutes', channel, value)}
                        error={channelError('handlingMinutes', channel)}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {(errors.perContact || errors.handlingMinutes) && (
            <Text c="red" size="sm" role="alert">
              {errors.perContact ?? errors.handlingMinutes}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            The estimate is used for an item only when staff recorded no time on it; recorded time always
            wins. An empty field counts 0.
          </Text>
          <CostPreview draft={debounced} />
          <Group justify="flex-end">
            <Button type="submit" loading={add.isPending}>
              Save version
            </Button>
          </Group>
        </Stack>
      </form>
      <ConfirmModal
        opened={confirming !== null}
        title="Change the costs of past items?"
        confirmLabel="Reprice past items"
        danger={false}
        loading={add.isPending}
        onClose={() => setConfirming(null)}
        onConfirm={() => parsed.success && void save(parsed.data)}
      >
        {confirming &&
          `This version starts before today, so it changes history: the items created from ${day(confirming.from)} to ${day(
            confirming.until,
          )} will be priced with it, and the cost metrics, dashboards and goals for that stretch change.${
            confirming.replaces ? ' It replaces the version already in force from that day.' : ''
          }`}
      </ConfirmModal>
    </Paper>
  );
}
