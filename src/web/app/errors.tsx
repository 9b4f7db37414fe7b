import { Button, Center, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Link, useRouteError } from 'react-router';
import { errorMessage } from './api.ts';

function Crashed({ error }: { error: unknown }) {
  return (
    <Center mih="100vh" p="md">
      <Stack align="center" gap="sm" maw={480} ta="center">
        <Title order={1} size="h2">
          Something went wrong
        </Title>
        <Text c="dimmed">The page hit an unexpected error. Reloading usually helps; your data is safe.</Text>
        <Code block style={{ maxWidth: '100%', whiteSpace: 'pre-wrap' }}>
          {errorMessage(error)}
        </Code>
        <Group>
          <Button onClick={() => window.location.reload()}>Reload</Button>
          <Button variant="default" component="a" href="/">
            Go home
          </Button>
        </Group>
      </Stack>
    </Center>
  );
}

/** The router's errorElement: render and loader errors anywhere below it end here. */
export function RouteError() {
  const error = useRouteError();
  return <Crashed error={error} />;
}

/** Last-resort boundary around the providers. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  override render() {
    if (this.state.error) return <Crashed error={this.state.error} />;
    return this.props.children;
  }
}

export function NotFound() {
  useDocumentTitle('Page not found · Rapport');
  return (
    <Center py={60}>
      <Stack align="center" gap="xs" maw={440} ta="center">
        <Text fz={64} fw={800} c="dimmed" lh={1}>
          404
        </Text>
        <Title order={1} size="h2">
          Page not found
        </Title>
        <Text c="dimmed">
          There is nothing at this address. It may have moved, or the link may be mistyped.
        </Text>
        <Button component={Link} to="/" mt="sm">
          Back to home
        </Button>
      </Stack>
    </Center>
  );
}
