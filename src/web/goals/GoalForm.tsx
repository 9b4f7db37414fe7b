import {
  ActionIcon,
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { type CreateGoalInput, createGoalInput, type Goal, type GoalTarget } from '../../shared/goals.ts';
import { ApiError, api, errorMessage } from '../app/api.ts';
import { useCan, useMe } from '../app/session.ts';
import { FormError } from '../app/ui.tsx';
import { type GoalTemplate, goalKey, goalsKey, progressKey, useCatalogue } from './api.ts';
import { blankGoal, blankTarget, fromGoal, TemplateGallery, useUsers } from './formParts.tsx';
import { FilterSelects } from './parts.tsx';
import { targetPreview } from './targetText.ts';

type Errors = Record<string, string>;

/** New goal (from scratch or a template) or edit one: the goal's fields, targets and milestones. */
export function GoalFormModal({
  opened,
  onClose,
  goal,
  startWithTemplates = false,
}: {
  opened: boolean;
  onClose: () => void;
  goal?: Goal;
  startWithTemplates?: boolean;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={goal ? 'Edit goal' : 'New goal'}
      size="xl"
      closeOnClickOutside={false}
    >
      {opened && <GoalForm goal={goal} onDone={onClose} startWithTemplates={startWithTemplates} />}
    </Modal>
  );
}

function GoalForm({
  goal,
  onDone,
  startWithTemplates,
}: {
  goal?: Goal | undefined;
  onDone: () => void;
  startWithTemplates: boolean;
}) {
  const can = useCan();
  const me = useMe();
  const catalogue = useCatalogue();
  const users = useUsers(can('users.read'));
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [picking, setPicking] = useState(!goal && startWithTemplates);
  const [values, setValues] = useState<CreateGoalInput>(() => (goal ? fromGoal(goal) : blankGoal()));
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const metrics = catalogue.data ?? [];
  const metricOptions = metrics.map((metric) => ({ value: metric.name, label: metric.label }));

  const set = (patch: Partial<CreateGoalInput>) => setValues((current) => ({ ...current, ...patch }));
  const setTarget = (index: number, patch: Partial<GoalTarget>) =>
    set({ targets: values.targets.map((target, i) => (i === index ? { ...target, ...patch } : target)) });
  const err = (path: string) => errors[path];

  const pick = (template: GoalTemplate) => {
    setValues({ ...template.goal, milestones: template.goal.milestones ?? [] });
    setPicking(false);
  };

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const parsed = createGoalInput.safeParse(values);
    if (!parsed.success) {
      const next: Errors = {};
      for (const issue of parsed.error.issues) {
        const path = issue.path.join('.');
        next[path] ??= path.endsWith('.metric') ? 'Choose a metric.' : issue.message;
      }
      setErrors(next);
      setFormError('Check the highlighted fields.');
      return;
    }
    setSaving(true);
    try {
      let saved: Goal;
      if (goal) {
        const { template: _template, ...fields } = parsed.data;
        saved = await api.patch<Goal>(`/api/v1/goals/${goal.id}`, { ...fields, version: goal.version });
      } else saved = await api.post<Goal>('/api/v1/goals', parsed.data);
      queryClient.setQueryData(goalKey(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: [goalsKey] });
      await queryClient.invalidateQueries({ queryKey: progressKey(saved.id) });
      onDone();
      if (!goal) navigate(`/goals/${saved.id}`);
    } catch (error) {
      if (error instanceof ApiError && error.errors.length > 0) {
        const next: Errors = {};
        for (const item of error.errors) next[item.path.replace(/^body\./, '')] = item.message;
        setErrors(next);
      }
      setFormError(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  if (picking)
    return (
      <Stack>
        <Text size="sm">
          Start from a specific, measurable plan. Everything can be changed before saving.
        </Text>
        <TemplateGallery onPick={pick} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setPicking(false)}>
            Start from scratch
          </Button>
        </Group>
      </Stack>
    );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {!goal && (
          <Group justify="flex-end">
            <Button variant="subtle" size="xs" onClick={() => setPicking(true)}>
              Choose a template
            </Button>
          </Group>
        )}
        <TextInput
          label="Title"
          required
          value={values.title}
          onChange={(e) => set({ title: e.currentTarget.value })}
          error={err('title')}
          data-autofocus
        />
        <Textarea
          label="Description"
          autosize
          minRows={1}
          value={values.description ?? ''}
          onChange={(e) => set({ description: e.currentTarget.value || null })}
        />
        <Group grow align="flex-start">
          {can('users.read') ? (
            <Select
              label="Owner"
              data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
              value={values.ownerId ?? me.data?.user.id ?? null}
              onChange={(value) => set({ ownerId: value })}
              searchable
              error={err('ownerId')}
            />
          ) : (
            <TextInput label="Owner" value={me.data?.user.name ?? 'You'} readOnly />
          )}
          <TextInput
            type="date"
            label="Start"
            value={values.startDate}
            onChange={(e) => set({ startDate: e.currentTarget.value })}
            error={err('startDate')}
          />
          <TextInput
            type="date"
            label="Deadline"
            value={values.deadline}
            onChange={(e) => set({ deadline: e.currentTarget.value })}
            error={err('deadline')}
          />
        </Group>
        <Text fw={600}>Targets {values.targets.length > 1 && '(all must hold)'}</Text>
        {err('targets') && (
          <Text c="red" size="sm">
            {err('targets')}
          </Text>
        )}
        {values.targets.map((target, index) => {
          const metric = metrics.find((m) => m.name === target.metric);
          const p = `targets.${index}`;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: targets have no id; order is the identity
            <Card withBorder key={index} padding="sm">
              <Stack gap="xs">
                <Group align="flex-start" wrap="nowrap">
                  <Select
                    style={{ flex: 1 }}
                    label={`Metric ${index + 1}`}
                    placeholder="Choose a metric"
                    data={metricOptions}
                    value={target.metric || null}
                    onChange={(value) => setTarget(index, { metric: value ?? '' })}
                    description={metric?.description}
                    error={err(`${p}.metric`)}
                    searchable
                  />
                  {values.targets.length > 1 && (
                    <ActionIcon
                      mt={26}
                      variant="subtle"
                      color="red"
                      aria-label={`Remove target ${index + 1}`}
                      onClick={() => set({ targets: values.targets.filter((_, i) => i !== index) })}
                    >
                      ×
                    </ActionIcon>
                  )}
                </Group>
                <Group grow align="flex-start">
                  <TextInput
                    type="date"
                    label="Baseline from"
                    value={target.baselineFrom}
                    onChange={(e) => setTarget(index, { baselineFrom: e.currentTarget.value })}
                    error={err(`${p}.baselineFrom`)}
                  />
                  <TextInput
                    type="date"
                    label="Baseline to"
                    value={target.baselineTo}
                    onChange={(e) => setTarget(index, { baselineTo: e.currentTarget.value })}
                    error={err(`${p}.baselineTo`)}
                  />
                </Group>
                <Group align="flex-end">
                  <Stack gap={4}>
                    <Text size="sm" fw={500}>
                      Target
                    </Text>
                    <SegmentedControl
                      aria-label={`Target type ${index + 1}`}
                      data={[
                        { value: 'relative', label: 'Change from baseline (%)' },
                        { value: 'absolute', label: 'Reach a value' },
                      ]}
                      value={target.target.type}
                      onChange={(type) =>
                        setTarget(index, {
                          target: { ...target.target, type: type as 'absolute' | 'relative' },
                        })
                      }
                    />
                  </Stack>
                  <NumberInput
                    label="Value"
                    w={140}
                    value={target.target.value}
                    onChange={(value) =>
                      setTarget(index, {
                        target: { ...target.target, value: typeof value === 'number' ? value : 0 },
                      })
                    }
                    error={err(`${p}.target.value`) ?? err(`${p}.target`)}
                  />
                  <Text size="sm" fw={600} aria-live="polite" data-testid={`target-preview-${index}`}>
                    {targetPreview(target.target, metric)}
                  </Text>
                </Group>
                <FilterSelects
                  size="xs"
                  value={target.filter ?? {}}
                  onChange={(filter) => setTarget(index, { filter: { ...target.filter, ...filter } })}
                />
                {err(`${p}.filter`) && (
                  <Text c="red" size="xs">
                    {err(`${p}.filter`)}
                  </Text>
                )}
              </Stack>
            </Card>
          );
        })}
        {values.targets.length < 10 && (
          <Group>
            <Button
              variant="light"
              size="xs"
              onClick={() => set({ targets: [...values.targets, blankTarget()] })}
            >
              Add a target
            </Button>
          </Group>
        )}
        <Text fw={600}>Milestones</Text>
        {(values.milestones ?? []).map((milestone, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: milestones have no id
          <Group key={index} align="flex-start">
            <TextInput
              type="date"
              label="Date"
              value={milestone.date}
              onChange={(e) =>
                set({
                  milestones: (values.milestones ?? []).map((m, i) =>
                    i === index ? { ...m, date: e.currentTarget.value } : m,
                  ),
                })
              }
              error={err(`milestones.${index}.date`)}
            />
            <TextInput
              style={{ flex: 1 }}
              label="Milestone"
              value={milestone.title}
              onChange={(e) =>
                set({
                  milestones: (values.milestones ?? []).map((m, i) =>
                    i === index ? { ...m, title: e.currentTarget.value } : m,
                  ),
                })
              }
              error={err(`milestones.${index}.title`)}
            />
            <ActionIcon
              mt={26}
              variant="subtle"
              color="red"
              aria-label={`Remove milestone ${index + 1}`}
              onClick={() => set({ milestones: (values.milestones ?? []).filter((_, i) => i !== index) })}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button
            variant="light"
            size="xs"
            onClick={() =>
              set({ milestones: [...(values.milestones ?? []), { date: values.deadline, title: '' }] })
            }
          >
            Add a milestone
          </Button>
        </Group>
        <FormError message={formError} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={saving}>
            {goal ? 'Save goal' : 'Create goal'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
