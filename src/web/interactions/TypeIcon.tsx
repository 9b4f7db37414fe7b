import { ThemeIcon } from '@mantine/core';
import type { ReactNode } from 'react';
import type { InteractionType } from '../../shared/interactions.ts';
import { interactionTypeLabels } from '../../shared/interactions.ts';
import { Icon } from '../app/icons.tsx';

const paths: Record<InteractionType, ReactNode> = {
  call: <path d="M5 4h4l2 5-2.5 1.5a11 11 0 005 5L15 13l5 2v4a2 2 0 01-2 2A16 16 0 013 6a2 2 0 012-2z" />,
  meeting: (
    <>
      <circle cx="8" cy="8" r="3" />
      <circle cx="16" cy="8" r="3" />
      <path d="M2 20c0-3 3-5 6-5s6 2 6 5M14 15c3 0 8 1 8 5" />
    </>
  ),
  email: (
    <>
      <rect x="3" y="5" width="18" height="14" rx="2" />
      <path d="M3 7l9 6 9-6" />
    </>
  ),
  message: <path d="M4 5h16v11H9l-5 4z" />,
  visit: (
    <>
      <path d="M12 21s7-6 7-12a7 7 0 00-14 0c0 6 7 12 7 12z" />
      <circle cx="12" cy="9" r="2.5" />
    </>
  ),
  purchase: (
    <>
      <path d="M3 4h2l2.5 11h11L21 8H6.2" />
      <circle cx="9" cy="19" r="1.5" />
      <circle cx="17" cy="19" r="1.5" />
    </>
  ),
  note: (
    <>
      <path d="M5 3h10l4 4v14H5z" />
      <path d="M9 12h6M9 16h6" />
    </>
  ),
};

export const typeColors: Record<InteractionType, string> = {
  call: 'teal',
  meeting: 'violet',
  email: 'blue',
  message: 'cyan',
  visit: 'orange',
  purchase: 'green',
  note: 'gray',
};

export function TypeGlyph({ type, size = 16 }: { type: InteractionType; size?: number }) {
  return <Icon size={size}>{paths[type]}</Icon>;
}

/** The round icon of an interaction type, labelled for screen readers. */
export function TypeIcon({ type }: { type: InteractionType }) {
  return (
    <ThemeIcon
      variant="light"
      color={typeColors[type]}
      radius="xl"
      size={32}
      aria-label={interactionTypeLabels[type]}
      role="img"
    >
      <TypeGlyph type={type} />
    </ThemeIcon>
  );
}
