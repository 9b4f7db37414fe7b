import { Anchor, Breadcrumbs, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure, useDocumentTitle } from '@mantine/hooks';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { ProblemRecord } from '../../shared/problems.ts';
import { useCan } from '../app/session.ts';
import { formatDate, isNotFound, NotFound, PageHeader, QueryError, TableSkeleton } from '../app/ui.tsx';
import { useProblem, useProblemItems } from './api.ts';
import { ProblemStatusBadge } from './badges.tsx';
import { CloseItemsDialog } from './CloseItemsDialog.tsx';
import { ComparePanel } from './ComparePanel.tsx';
import { FixDialog } from './FixDialog.tsx';
import { LinkedItems } from './LinkedItems.tsx';
import { NewProblemForm } from './NewProblemModal.tsx';
import { ProblemDetails } from './ProblemDetails.tsx';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** /problems/new?items=<id>,<id>: a new problem with a selection of items linked at once. */
function NewProblemPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const itemIds = (params.get('items') ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => uuidPattern.test(id));
  return (
    <>
      <PageHeader title="New problem" description="A root cause shared by several items." />
      <Paper withBorder radius="md" p="md" maw={720}>
        <NewProblemForm itemIds={[...new Set(itemIds)]} onCancel={() => navigate(-1)} />
      </Paper>
    </>
  );
}

function NotFoundProblem() {
  return (
    <NotFound
      title="Problem not found"
      text="It does not exist in your workspace."
      backTo="/problems"
      backLabel="Back to problems"
    />
  );
}

function ProblemView({ problem, onReload }: { problem: ProblemRecord; onReload: () => Promise<unknown> }) {
  const can = useCan();
  useDocumentTitle(`${problem.title} · Rapport`);
  const items = useProblemItems(problem.id);
  const [fixing, fixDialog] = useDisclosure(false);
  const [closing, closeDialog] = useDisclosure(false);
  const fixed = problem.status === 'fixed';
  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/problems" size="sm">
          Problems
        </Anchor>
        <Text size="sm" c="dimmed" truncate maw={360}>
          {problem.title}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4} style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Title order={1} size="h2">
            {problem.title}
          </Title>
          <Group gap="xs">
            <ProblemStatusBadge status={problem.status} />
            <Text size="sm" c="dimmed">
              {problem.itemCount} linked item{problem.itemCount === 1 ? '' : 's'}, {problem.openItemCount} not
              closed yet · opened {formatDate(problem.createdAt)}
            </Text>
          </Group>
        </Stack>
        <Group gap="xs">
          {can('problems.fix') && !fixed && (
            <Button color="teal" onClick={fixDialog.open} disabled={problem.itemCount === 0}>
              Mark fixed…
            </Button>
          )}
          {can('problems.write') && problem.openItemCount > 0 && (
            <Button variant={fixed ? 'filled' : 'default'} onClick={closeDialog.open}>
              Close linked items…
            </Button>
          )}
        </Group>
      </Group>
      <ProblemDetails problem={problem} onReload={onReload} />
      <ComparePanel problemId={problem.id} />
      <LinkedItems problemId={problem.id} fixed={fixed} />
      <FixDialog problem={problem} items={items.items} opened={fixing} onClose={fixDialog.close} />
      <CloseItemsDialog
        problemId={problem.id}
        items={items.items}
        opened={closing}
        onClose={closeDialog.close}
      />
    </Stack>
  );
}

export function ProblemPage() {
  const { id = '' } = useParams();
  if (id === 'new') return <NewProblemPage />;
  return <ExistingProblem id={id} />;
}

function ExistingProblem({ id }: { id: string }) {
  const query = useProblem(id);
  if (!uuidPattern.test(id)) return <NotFoundProblem />;
  if (query.isPending) return <TableSkeleton rows={6} />;
  if (query.isError) {
    if (isNotFound(query.error)) return <NotFoundProblem />;
    return <QueryError error={query.error} onRetry={() => query.refetch()} />;
  }
  return <ProblemView key={query.data.id} problem={query.data} onReload={() => query.refetch()} />;
}
