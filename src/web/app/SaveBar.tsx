import { Button, Group, Paper, Text } from '@mantine/core';

/**
 * The sticky bar of an edit page: unsaved changes or the last error, Discard and Save; when
 * someone else saved first, a Reload instead of a silent overwrite.
 */
export function SaveBar(props: {
  dirty: boolean;
  formError: string | null;
  conflict: boolean;
  /** "person", "organization": how the conflict message names the record. */
  what: string;
  saving: boolean;
  onReload: () => void;
  onDiscard: () => void;
  onSave: () => void;
}) {
  if (!props.dirty && !props.formError) return null;
  return (
    <Paper
      withBorder
      shadow="md"
      p="sm"
      radius="md"
      role="region"
      aria-label="Unsaved changes"
      style={{ position: 'sticky', bottom: 12, zIndex: 5 }}
    >
      <Group justify="space-between" gap="xs">
        {props.conflict ? (
          <Group gap="xs">
            <Text size="sm" c="orange.8">
              Someone else saved this {props.what}; reload to see their changes.
            </Text>
            <Button size="xs" variant="default" onClick={props.onReload}>
              Reload
            </Button>
          </Group>
        ) : (
          <Text size="sm" c={props.formError ? 'red' : undefined}>
            {props.formError ?? 'You have unsaved changes.'}
          </Text>
        )}
        <Group gap="xs">
          <Button variant="default" onClick={props.onDiscard}>
            Discard
          </Button>
          <Button onClick={props.onSave} loading={props.saving} disabled={!props.dirty || props.conflict}>
            Save changes
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
