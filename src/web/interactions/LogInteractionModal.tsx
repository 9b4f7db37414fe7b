import { Modal, Text } from '@mantine/core';

// Placeholder until the quick "log a call / meeting" form lands.
export function LogInteractionModal(props: {
  opened: boolean;
  onClose: () => void;
  personId?: string;
  organizationId?: string;
}) {
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Log an interaction">
      <Text c="dimmed">Coming.</Text>
    </Modal>
  );
}
