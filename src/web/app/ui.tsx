import {
  ActionIcon,
  Alert,
  Button,
  Center,
  CopyButton,
  Group,
  Modal,
  Skeleton,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiError, errorMessage } from './api.ts';
import { AlertIcon, CheckIcon, CopyIcon, LockIcon } from './icons.tsx';

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  useDocumentTitle(`${title} · Rapport`);
  return (
    <Group justify="space-between" align="flex-start" mb="lg" gap="sm">
      <Stack gap={4} style={{ flex: '1 1 260px' }}>
        <Title order={1} size="h2">
          {title}
        </Title>
        {description && (
          <Text c="dimmed" size="sm">
            {description}
          </Text>
        )}
      </Stack>
      {actions}
    </Group>
  );
}

export function NoAccess() {
  return (
    <Center py={60}>
      <Stack align="center" gap="xs" maw={420} ta="center">
        <LockIcon size={40} />
        <Title order={1} size="h2">
          You don't have access
        </Title>
        <Text c="dimmed">
          Your role does not allow this page. Ask an admin of your workspace if you need it.
        </Text>
      </Stack>
    </Center>
  );
}

/** Whether a failed read of one record means it is not there: 404, or an id that cannot be one. */
export const isNotFound = (error: unknown) =>
  error instanceof ApiError &&
  (error.status === 404 ||
    ([400, 422].includes(error.status) &&
      error.errors.some((problem) => problem.path.startsWith('params.'))));

/** The page of a record that is not there: says so and leads back to its list. */
export function NotFound(props: { title: string; text: string; backTo: string; backLabel: string }) {
  return (
    <Stack align="flex-start">
      <Title order={1} size="h2">
        {props.title}
      </Title>
      <Text c="dimmed">{props.text}</Text>
      <Button component={Link} to={props.backTo} variant="default">
        {props.backLabel}
      </Button>
    </Stack>
  );
}

/** The error state of a failed query, with the server's message and a retry button. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (error instanceof ApiError && error.status === 403) return <NoAccess />;
  return (
    <Alert color="red" variant="light" title="Could not load this" icon={<AlertIcon />} role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{errorMessage(error)}</Text>
        {onRetry && (
          <Button size="xs" variant="default" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" icon={<AlertIcon />} role="alert">
      {message}
    </Alert>
  );
}

export function TableSkeleton({ rows = 4 }: { rows?: number }) {
  return (
    <Stack gap="xs" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
        <Skeleton key={index} height={36} radius="sm" />
      ))}
    </Stack>
  );
}

export function LoadMore({
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
}: {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}) {
  if (!hasNextPage) return null;
  return (
    <Center mt="md">
      <Button variant="default" loading={isFetchingNextPage} onClick={() => fetchNextPage()}>
        Load more
      </Button>
    </Center>
  );
}

export function CopyValue({ value, label }: { value: string; label: string }) {
  return (
    <CopyButton value={value} timeout={2000}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : label} withArrow>
          <ActionIcon
            variant="light"
            color={copied ? 'teal' : 'gray'}
            onClick={copy}
            aria-label={label}
            size="lg"
          >
            {copied ? <CheckIcon /> : <CopyIcon />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

export function ConfirmModal({
  opened,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  loading,
  danger = true,
}: {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  loading?: boolean;
  danger?: boolean;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <Stack>
        <Text size="sm">{children}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color={danger ? 'red' : undefined} onClick={onConfirm} loading={loading} data-autofocus>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(value: string | null | undefined, empty = '—'): string {
  if (!value) return empty;
  return dateFormat.format(new Date(value));
}
