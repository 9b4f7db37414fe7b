import { Alert, Anchor, Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { InfluenceMap as InfluenceMapData, InfluenceNode } from '../../shared/relationships.ts';
import { api } from '../app/api.ts';
import { QueryError, TableSkeleton } from '../app/ui.tsx';
import { StageBadge } from '../people/stage.tsx';

function Customers({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <Badge variant="light" color="teal" size="sm" title="People at stage customer linked to this person">
      {count} {count === 1 ? 'customer' : 'customers'}
    </Badge>
  );
}

function NodeLine({ node }: { node: InfluenceNode }) {
  return (
    <Group gap={6} wrap="wrap">
      <Anchor component={Link} to={`/people/${node.id}`} size="sm" fw={node.hop === 1 ? 600 : 400}>
        {node.displayName}
      </Anchor>
      <StageBadge stage={node.stage} size="xs" />
      <Customers count={node.customerCount} />
    </Group>
  );
}

/** One side of the map: hop-1 people, each with the hop-2 people reached through them nested below. */
function Side({
  title,
  nodes,
  empty,
  arrow,
}: {
  title: string;
  nodes: InfluenceNode[];
  empty: string;
  arrow: string;
}) {
  const first = nodes.filter((node) => node.hop === 1);
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {title}
      </Title>
      {first.length === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <Stack component="ul" gap="xs" p={0} m={0}>
          {first.map((node) => {
            const second = nodes.filter((other) => other.hop === 2 && other.via === node.id);
            return (
              <Paper key={node.id} component="li" withBorder radius="md" p="xs" style={{ listStyle: 'none' }}>
                <NodeLine node={node} />
                {second.length > 0 && (
                  <Stack
                    component="ul"
                    gap={4}
                    mt={6}
                    pl="sm"
                    m={0}
                    aria-label={`Through ${node.displayName}`}
                    style={{ borderLeft: '2px solid var(--mantine-color-default-border)' }}
                  >
                    {second.map((hop2) => (
                      <Group key={hop2.id} component="li" gap={4} style={{ listStyle: 'none' }} wrap="nowrap">
                        <Text size="xs" c="dimmed" aria-hidden="true">
                          {arrow}
                        </Text>
                        <NodeLine node={hop2} />
                      </Group>
                    ))}
                  </Stack>
                )}
              </Paper>
            );
          })}
        </Stack>
      )}
    </Stack>
  );
}

/**
 * Who influences this person (left) and whom they influence (right), two hops deep, following
 * "influences" and "referred by" links; each person shows how many customers they are linked to.
 */
export function InfluenceMap({ personId }: { personId: string }) {
  const query = useQuery({
    queryKey: ['influence', personId],
    queryFn: () => api.get<InfluenceMapData>(`/api/v1/people/${personId}/influence`),
  });
  if (query.isPending) return <TableSkeleton rows={3} />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => query.refetch()} />;
  const map = query.data;
  return (
    <Stack gap="sm">
      {map.truncated && (
        <Alert variant="light" color="yellow">
          This person has a very large network; only the first people of each level are shown.
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" style={{ alignItems: 'start' }}>
        <Side
          title="Influenced by"
          nodes={map.influencedBy}
          empty="Nobody recorded as influencing them."
          arrow="↑"
        />
        <Paper withBorder radius="md" p="md" shadow="xs" aria-label="This person">
          <Stack align="center" gap={6}>
            <Text fw={700} ta="center">
              {map.person.displayName}
            </Text>
            <StageBadge stage={map.person.stage} />
            <Customers count={map.person.customerCount} />
            <Text size="xs" c="dimmed" ta="center">
              ← influenced by · influences →
            </Text>
          </Stack>
        </Paper>
        <Side
          title="Influences"
          nodes={map.influences}
          empty="Not recorded as influencing anyone."
          arrow="↳"
        />
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        Built from "influences" and "referred by" links. Add them under Relationships.
      </Text>
    </Stack>
  );
}
