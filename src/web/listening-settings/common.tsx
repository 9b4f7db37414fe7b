import { Alert, Button, Group, Paper, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { ApiError } from '../app/api.ts';
import { AlertIcon } from '../app/icons.tsx';
import { ConfirmModal } from '../app/ui.tsx';

/** Minutes as "4h", "1h 30m", "45m"; empty for no target. */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return '';
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest}m`;
  return rest === 0 ? `${hours}h` : `${hours}h ${rest}m`;
}

/** "4h", "1h 30m", "90m", "2.5h" or a bare number of hours → minutes; "" → null; undefined when unreadable. */
export function parseMinutes(text: string): number | null | undefined {
  const value = text.trim().toLowerCase();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 60);
  const match = /^(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$/.exec(value);
  if (!match || (!match[1] && !match[2])) return undefined;
  return Math.round(Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0));
}

/** "overlaps body.schedule.2 (…)" → "Overlaps another entry (…)": messages shown under their field. */
function readable(message: string): string {
  const text = message.replace(/body\.[a-zA-Z]+\.\d+ /g, 'another entry ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Field problems of a 422 by path without `body.`, e.g. `policies.3.resolutionMinutes`. */
export function pathErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const problem of error.errors) out[problem.path.replace(/^body\.?/, '')] = readable(problem.message);
  return out;
}

/** The first message under a path prefix (the field itself or anything inside it). */
export function errorUnder(errors: Record<string, string>, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const key = Object.keys(errors).find((candidate) => candidate.startsWith(`${path}.`));
  return key ? errors[key] : undefined;
}

/** Save/Discard for a settings tab, sticky at the bottom while there are unsaved changes. */
export function SettingsActions({
  dirty,
  saving,
  error,
  onSave,
  onDiscard,
  extra,
}: {
  dirty: boolean;
  saving: boolean;
  error: string | null;
  onSave: () => void;
  onDiscard: () => void;
  extra?: ReactNode;
}) {
  return (
    <Paper
      withBorder={dirty || error !== null}
      p="sm"
      radius="md"
      shadow={dirty ? 'md' : undefined}
      style={dirty || error !== null ? { position: 'sticky', bottom: 12, zIndex: 5 } : undefined}
    >
      <Group justify="space-between" gap="xs">
        <Group gap="xs">
          {error ? (
            <Text size="sm" c="red" role="alert">
              {error}
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              {dirty ? 'You have unsaved changes.' : 'All changes saved.'}
            </Text>
          )}
          {extra}
        </Group>
        <Group gap="xs">
          <Button variant="default" onClick={onDiscard} disabled={!dirty}>
            Discard
          </Button>
          <Button onClick={onSave} loading={saving} disabled={!dirty}>
            Save changes
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}

export function DefaultsNote({ children }: { children: ReactNode }) {
  return (
    <Alert variant="light" color="blue" icon={<AlertIcon />}>
      {children}
    </Alert>
  );
}

export const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A small button that asks before doing something that cannot be taken back. */
export function ConfirmButton({
  label,
  title,
  confirmLabel,
  children,
  onConfirm,
  loading,
}: {
  label: string;
  title: string;
  confirmLabel: string;
  children: ReactNode;
  onConfirm: () => Promise<unknown>;
  loading?: boolean;
}) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button size="xs" variant="subtle" color="red" onClick={open}>
        {label}
      </Button>
      <ConfirmModal
        opened={opened}
        title={title}
        confirmLabel={confirmLabel}
        loading={loading}
        onClose={close}
        onConfirm={async () => {
          await onConfirm();
          close();
        }}
      >
        {children}
      </ConfirmModal>
    </>
  );
}
