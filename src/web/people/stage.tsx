import { Badge } from '@mantine/core';
import { type Stage, stages } from '../../shared/people.ts';

export const stageLabels: Record<Stage, string> = {
  prospect: 'Prospect',
  customer: 'Customer',
  former_customer: 'Former customer',
  influencer: 'Influencer',
  advocate: 'Advocate',
  partner: 'Partner',
  other: 'Other',
};

const stageColors: Record<Stage, string> = {
  prospect: 'blue',
  customer: 'teal',
  former_customer: 'gray',
  influencer: 'grape',
  advocate: 'pink',
  partner: 'orange',
  other: 'gray',
};

export const stageOptions = stages.map((value) => ({ value, label: stageLabels[value] }));

export function StageBadge({ stage, size = 'sm' }: { stage: Stage; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  return (
    <Badge variant="light" color={stageColors[stage]} size={size}>
      {stageLabels[stage]}
    </Badge>
  );
}
