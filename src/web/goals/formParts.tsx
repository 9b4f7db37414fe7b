import { Card, SimpleGrid, Text, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { User } from '../../shared/accounts.ts';
import type { CreateGoalInput, Goal, GoalTarget } from '../../shared/goals.ts';
import { api, errorMessage } from '../app/api.ts';
import { FormError } from '../app/ui.tsx';
import { addDays, type GoalTemplate, useGoalTemplates } from './api.ts';

export const today = () => new Date().toISOString().slice(0, 10);

export function blankTarget(metric = ''): GoalTarget {
  return {
    metric,
    filter: {},
    baselineFrom: addDays(today(), -90),
    baselineTo: addDays(today(), -1),
    target: { type: 'relative', value: 10 },
  };
}

export function blankGoal(): CreateGoalInput {
  return {
    title: '',
    description: null,
    targets: [blankTarget()],
    startDate: today(),
    deadline: addDays(today(), 90),
    milestones: [],
  };
}

export function fromGoal(goal: Goal): CreateGoalInput {
  return {
    title: goal.title,
    description: goal.description,
    ownerId: goal.ownerId,
    targets: goal.targets,
    startDate: goal.startDate,
    deadline: goal.deadline,
    milestones: goal.milestones,
  };
}

export function useUsers(enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'all-for-goals'],
    queryFn: async () =>
      (await api.get<{ data: User[] }>('/api/v1/users?limit=200')).data.filter(
        (u) => u.status !== 'disabled',
      ),
    enabled,
    staleTime: 60_000,
  });
}

export function TemplateGallery({ onPick }: { onPick: (template: GoalTemplate) => void }) {
  const templates = useGoalTemplates(true);
  if (templates.isPending) return <Text size="sm">Loading templates…</Text>;
  if (templates.isError) return <FormError message={errorMessage(templates.error)} />;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      {templates.data.map((template) => (
        <UnstyledButton
          key={template.id}
          onClick={() => onPick(template)}
          aria-label={`Use template: ${template.title}`}
          style={{ display: 'block' }}
        >
          <Card withBorder padding="sm" h="100%">
            <Text fw={600} size="sm">
              {template.title}
            </Text>
            <Text size="xs" c="dimmed" mt={4}>
              {template.why}
            </Text>
          </Card>
        </UnstyledButton>
      ))}
    </SimpleGrid>
  );
}
