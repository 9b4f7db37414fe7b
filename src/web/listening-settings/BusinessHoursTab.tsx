import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { BusinessHours } from '../../shared/listening-settings.ts';
import { api, errorMessage } from '../app/api.ts';
import { QueryError, TableSkeleton } from '../app/ui.tsx';
import { errorUnder, pathErrors, SettingsActions, sameJson } from './common.tsx';

type Interval = { start: string; end: string };
interface Draft {
  timeZone: string;
  aroundTheClock: boolean;
  /** Index = day (0 = Sunday). */
  days: Interval[][];
  holidays: string[];
  warnBeforeMinutes: number;
}

/** Monday first, as most calendars show it. */
const weekOrder = [1, 2, 3, 4, 5, 6, 0];
const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const officeHours = (): Interval[][] =>
  dayNames.map((_, day) => (day >= 1 && day <= 5 ? [{ start: '09:00', end: '17:00' }] : []));

function draftOf(hours: BusinessHours): Draft {
  const days: Interval[][] = dayNames.map(() => []);
  for (const entry of hours.schedule) days[entry.day]?.push({ start: entry.start, end: entry.end });
  return {
    timeZone: hours.timeZone,
    aroundTheClock: hours.schedule.length === 0,
    days: hours.schedule.length === 0 ? officeHours() : days,
    holidays: [...hours.holidays].sort(),
    warnBeforeMinutes: hours.warnBeforeMinutes ?? 60,
  };
}

/** The schedule in the order it is sent, remembering where each entry came from (for 422 paths). */
function scheduleOf(draft: Draft) {
  if (draft.aroundTheClock) return [];
  return weekOrder.flatMap((day) =>
    (draft.days[day] ?? []).map((interval, index) => ({ day, index, ...interval })),
  );
}

function timeZones(current: string): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const all = new Set(['UTC', ...zones]);
  all.add(current);
  return [...all];
}

export function BusinessHoursTab({ onDirty }: { onDirty: (dirty: boolean) => void }) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['business-hours'],
    queryFn: () => api.get<BusinessHours>('/api/v1/business-hours'),
  });
  const base = useMemo(() => (query.data ? draftOf(query.data) : null), [query.data]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [holiday, setHoliday] = useState('');
  if (base && draft === null) setDraft(base);
  const dirty = draft !== null && base !== null && !sameJson(draft, base);
  useEffect(() => onDirty(dirty), [dirty, onDirty]);
  const zones = useMemo(() => timeZones(draft?.timeZone ?? 'UTC'), [draft?.timeZone]);

  if (query.isPending || !draft) return <TableSkeleton rows={6} />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => query.refetch()} />;

  const schedule = scheduleOf(draft);
  const update = (change: Partial<Draft>) => setDraft({ ...draft, ...change });
  const setInterval = (day: number, index: number, change: Partial<Interval>) =>
    update({
      days: draft.days.map((list, d) =>
        d === day ? list.map((interval, i) => (i === index ? { ...interval, ...change } : interval)) : list,
      ),
    });
  const setDay = (day: number, list: Interval[]) =>
    update({ days: draft.days.map((current, d) => (d === day ? list : current)) });
  const errorFor = (day: number, index: number, field: 'start' | 'end') => {
    const position = schedule.findIndex((entry) => entry.day === day && entry.index === index);
    return position < 0
      ? undefined
      : (errorUnder(errors, `schedule.${position}.${field}`) ?? errors[`schedule.${position}`]);
  };
  const addHoliday = () => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(holiday) || draft.holidays.includes(holiday)) return;
    update({ holidays: [...draft.holidays, holiday].sort() });
    setHoliday('');
  };

  const save = async () => {
    setSaving(true);
    setFormError(null);
    try {
      const body: BusinessHours = {
        timeZone: draft.timeZone,
        schedule: schedule.map(({ day, start, end }) => ({ day, start, end })),
        holidays: draft.holidays,
        warnBeforeMinutes: draft.warnBeforeMinutes,
      };
      const saved = await api.put<BusinessHours & { recomputedItems?: number; queued?: boolean }>(
        '/api/v1/business-hours',
        body,
      );
      const clean: BusinessHours = {
        timeZone: saved.timeZone,
        schedule: saved.schedule,
        holidays: saved.holidays,
        warnBeforeMinutes: saved.warnBeforeMinutes,
      };
      queryClient.setQueryData(['business-hours'], clean);
      setDraft(draftOf(clean));
      setErrors({});
      notifications.show({ color: 'teal', message: 'Business hours saved; SLA due times follow them.' });
    } catch (error) {
      const found = pathErrors(error);
      setErrors(found);
      setFormError(Object.keys(found).length ? 'Check the highlighted fields.' : errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label="Time zone"
          description="Opening hours and holidays are read in this time zone."
          data={zones}
          value={draft.timeZone}
          onChange={(value) => value && update({ timeZone: value })}
          searchable
          allowDeselect={false}
          nothingFoundMessage="No time zone matches"
          limit={50}
          error={errors.timeZone}
        />
        <NumberInput
          label="Warn the owner before a breach (minutes)"
          description="Business minutes before a due time; 0 turns warnings off."
          min={0}
          max={10_080}
          value={draft.warnBeforeMinutes}
          onChange={(value) => update({ warnBeforeMinutes: typeof value === 'number' ? value : 0 })}
          error={errors.warnBeforeMinutes}
        />
      </SimpleGrid>
      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" mb="sm">
          <Title order={3} size="h5">
            Weekly hours
          </Title>
          <Switch
            label="Around the clock (24/7)"
            checked={draft.aroundTheClock}
            onChange={(e) => update({ aroundTheClock: e.currentTarget.checked })}
          />
        </Group>
        {draft.aroundTheClock ? (
          <Text size="sm" c="dimmed">
            SLA clocks run every hour of every day (holidays excepted). Turn this off to set opening hours.
          </Text>
        ) : (
          <Stack gap="xs">
            {errors.schedule && (
              <Text size="sm" c="red">
                {errors.schedule}
              </Text>
            )}
            {weekOrder.map((day) => {
              const list = draft.days[day] ?? [];
              return (
                <Group key={day} align="flex-start" gap="sm" wrap="nowrap">
                  <Checkbox
                    w={130}
                    mt={6}
                    label={dayNames[day]}
                    checked={list.length > 0}
                    onChange={(e) =>
                      setDay(day, e.currentTarget.checked ? [{ start: '09:00', end: '17:00' }] : [])
                    }
                  />
                  {list.length === 0 ? (
                    <Text size="sm" c="dimmed" mt={6}>
                      Closed
                    </Text>
                  ) : (
                    <Stack gap={6}>
                      {list.map((interval, index) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: intervals have no identity
                        <Group key={index} gap="xs" align="flex-start" wrap="nowrap">
                          <TextInput
                            w={90}
                            size="xs"
                            aria-label={`${dayNames[day]} opens`}
                            placeholder="09:00"
                            value={interval.start}
                            onChange={(e) => setInterval(day, index, { start: e.currentTarget.value })}
                            error={errorFor(day, index, 'start')}
                          />
                          <Text size="sm" mt={4}>
                            to
                          </Text>
                          <TextInput
                            w={90}
                            size="xs"
                            aria-label={`${dayNames[day]} closes`}
                            placeholder="17:00"
                            value={interval.end}
                            onChange={(e) => setInterval(day, index, { end: e.currentTarget.value })}
                            error={errorFor(day, index, 'end')}
                          />
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            mt={2}
                            aria-label={`Remove ${dayNames[day]} interval ${index + 1}`}
                            onClick={() =>
                              setDay(
                                day,
                                list.filter((_, i) => i !== index),
                              )
                            }
                          >
                            ×
                          </ActionIcon>
                        </Group>
                      ))}
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        w="fit-content"
                        onClick={() => setDay(day, [...list, { start: '13:00', end: '17:00' }])}
                      >
                        Add hours to {dayNames[day]}
                      </Button>
                    </Stack>
                  )}
                </Group>
              );
            })}
            <Text size="xs" c="dimmed">
              Times as HH:MM, 24:00 for midnight. Split a day (e.g. 09:00–12:00 and 13:00–17:00) for a lunch
              break.
            </Text>
          </Stack>
        )}
      </Paper>
      <Paper withBorder radius="md" p="md">
        <Title order={3} size="h5" mb="xs">
          Holidays
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          Closed all day; SLA clocks stop. Dates are in the workspace's time zone.
        </Text>
        <Group gap="xs" mb="sm" align="flex-end">
          <TextInput
            type="date"
            label="Add a holiday"
            value={holiday}
            onChange={(e) => setHoliday(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                addHoliday();
              }
            }}
          />
          <Button variant="default" onClick={addHoliday} disabled={!holiday}>
            Add
          </Button>
        </Group>
        {draft.holidays.length === 0 ? (
          <Text size="sm" c="dimmed">
            No holidays yet.
          </Text>
        ) : (
          <Group gap="xs" aria-label="Holidays">
            {draft.holidays.map((date, index) => (
              <Badge
                key={date}
                variant="light"
                tt="none"
                color={errors[`holidays.${index}`] ? 'red' : 'blue'}
                size="lg"
                rightSection={
                  <ActionIcon
                    size="xs"
                    variant="transparent"
                    aria-label={`Remove holiday ${date}`}
                    onClick={() => update({ holidays: draft.holidays.filter((d) => d !== date) })}
                  >
                    ×
                  </ActionIcon>
                }
              >
                {new Date(`${date}T12:00:00Z`).toLocaleDateString(undefined, {
                  weekday: 'short',
                  day: 'numeric',
                  month: 'short',
                  year: 'numeric',
                })}
              </Badge>
            ))}
          </Group>
        )}
        {errorUnder(errors, 'holidays') && (
          <Text size="sm" c="red" mt="xs">
            {errorUnder(errors, 'holidays')}
          </Text>
        )}
      </Paper>
      <SettingsActions
        dirty={dirty}
        saving={saving}
        error={formError}
        onSave={() => void save()}
        onDiscard={() => {
          setDraft(base);
          setErrors({});
          setFormError(null);
        }}
      />
    </Stack>
  );
}
