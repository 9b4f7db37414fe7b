import { ActionIcon, Button, Group, NumberInput, Paper, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { z } from 'zod';
import { ladderLevelLabels } from '../../shared/listening.ts';
import type { EscalationRulesView, escalationRule } from '../../shared/listening-settings.ts';
import { api, errorMessage } from '../app/api.ts';
import { QueryError, TableSkeleton } from '../app/ui.tsx';
import { ConfirmButton, DefaultsNote, errorUnder, pathErrors, SettingsActions, sameJson } from './common.tsx';

type Rule = z.infer<typeof escalationRule>;
type Trigger = Rule['trigger'];

const triggerOptions: { value: Trigger; label: string }[] = [
  { value: 'first_response_breach', label: 'First response target breached' },
  { value: 'resolution_breach', label: 'Resolution target breached' },
  { value: 'resolution_overdue', label: 'Still open after × the resolution target' },
];
const levelOptions = (['lead', 'manager', 'executive'] as const).map((level) => ({
  value: level,
  label: ladderLevelLabels[level],
}));

export function EscalationRulesTab({ onDirty }: { onDirty: (dirty: boolean) => void }) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['escalation-rules'],
    queryFn: () => api.get<EscalationRulesView>('/api/v1/escalation-rules'),
  });
  const base = useMemo(() => query.data?.rules ?? null, [query.data]);
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  if (base && rules === null) setRules(base);
  const dirty = rules !== null && base !== null && !sameJson(rules, base);
  useEffect(() => onDirty(dirty), [dirty, onDirty]);

  if (query.isPending || !rules) return <TableSkeleton rows={3} />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => query.refetch()} />;

  const setRule = (index: number, change: Partial<Rule>) =>
    setRules(rules.map((rule, i) => (i === index ? { ...rule, ...change } : rule)));
  const move = (index: number, by: number) => {
    const next = [...rules];
    const [rule] = next.splice(index, 1);
    if (rule) next.splice(index + by, 0, rule);
    setRules(next);
  };
  const send = async (list: Rule[], message: string) => {
    setSaving(true);
    setFormError(null);
    try {
      const saved = await api.put<EscalationRulesView>('/api/v1/escalation-rules', { rules: list });
      queryClient.setQueryData(['escalation-rules'], {
        rules: saved.rules,
        usingDefaults: saved.usingDefaults,
      });
      setRules(saved.rules);
      setErrors({});
      notifications.show({ color: 'teal', message });
    } catch (error) {
      const found = pathErrors(error);
      setErrors(found);
      setFormError(Object.keys(found).length ? 'Check the highlighted rules.' : errorMessage(error));
    } finally {
      setSaving(false);
    }
  };
  const cleaned = rules.map((rule) =>
    rule.trigger === 'resolution_overdue'
      ? { ...rule, factor: rule.factor ?? 2 }
      : { trigger: rule.trigger, level: rule.level },
  );

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        When an SLA goes wrong the item is raised up the ladder (agent → lead → manager → executive) and
        everyone at that level is notified. The ladder only goes up: a rule never lowers an item. Rules are
        checked in this order.
      </Text>
      {query.data.usingDefaults && (
        <DefaultsNote>
          You are using the built-in rules: first-response breach → lead, resolution breach → manager, still
          open after 2× the resolution target → executive.
        </DefaultsNote>
      )}
      {rules.length === 0 && (
        <Text size="sm" c="dimmed">
          No rules: saving an empty list brings back the built-in rules.
        </Text>
      )}
      <Stack gap="xs" aria-label="Escalation rules">
        {rules.map((rule, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rules are an ordered list without ids
          <Paper key={index} withBorder radius="md" p="sm">
            <Group align="flex-end" gap="sm">
              <Text fw={600} w={24} mb={8}>
                {index + 1}.
              </Text>
              <Select
                label="When"
                w={360}
                data={triggerOptions}
                value={rule.trigger}
                allowDeselect={false}
                onChange={(value) => value && setRule(index, { trigger: value as Trigger })}
                error={errors[`rules.${index}.trigger`]}
              />
              {rule.trigger === 'resolution_overdue' && (
                <NumberInput
                  label="× target"
                  w={100}
                  min={1.1}
                  max={100}
                  step={0.5}
                  decimalScale={2}
                  value={rule.factor ?? 2}
                  onChange={(value) => setRule(index, { factor: typeof value === 'number' ? value : 2 })}
                  error={errors[`rules.${index}.factor`]}
                />
              )}
              <Select
                label="Escalate to"
                w={150}
                data={levelOptions}
                value={rule.level}
                allowDeselect={false}
                onChange={(value) => value && setRule(index, { level: value as Rule['level'] })}
                error={errors[`rules.${index}.level`]}
              />
              <Group gap={4} mb={4}>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`Move rule ${index + 1} up`}
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                >
                  ↑
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`Move rule ${index + 1} down`}
                  disabled={index === rules.length - 1}
                  onClick={() => move(index, 1)}
                >
                  ↓
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove rule ${index + 1}`}
                  onClick={() => setRules(rules.filter((_, i) => i !== index))}
                >
                  ×
                </ActionIcon>
              </Group>
            </Group>
            {errorUnder(errors, `rules.${index}`) && !errors[`rules.${index}.trigger`] && (
              <Text size="xs" c="red" mt={4}>
                {errorUnder(errors, `rules.${index}`)}
              </Text>
            )}
          </Paper>
        ))}
      </Stack>
      <Button
        variant="light"
        w="fit-content"
        disabled={rules.length >= 20}
        onClick={() => setRules([...rules, { trigger: 'resolution_breach', level: 'manager' }])}
      >
        Add a rule
      </Button>
      <SettingsActions
        dirty={dirty}
        saving={saving}
        error={formError}
        onSave={() => void send(cleaned, 'Escalation rules saved.')}
        onDiscard={() => {
          setRules(base);
          setErrors({});
          setFormError(null);
        }}
        extra={
          !query.data.usingDefaults && (
            <ConfirmButton
              label="Use built-in rules"
              title="Go back to the built-in escalation rules?"
              confirmLabel="Use built-in rules"
              loading={saving}
              onConfirm={() => send([], 'Back to the built-in escalation rules.')}
            >
              Your rules are replaced by Rapport's defaults.
            </ConfirmButton>
          )
        }
      />
    </Stack>
  );
}
