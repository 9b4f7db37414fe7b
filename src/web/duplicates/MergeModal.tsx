import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Radio,
  ScrollArea,
  SimpleGrid,
  Stack,
  Text,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { DuplicatePair, MergeChoice, MergeInput, MergeResult } from '../../shared/merges.ts';
import type { Person } from '../../shared/people.ts';
import { api, errorMessage } from '../app/api.ts';
import { AlertIcon } from '../app/icons.tsx';
import { useOrganization, useUsers } from '../people/api.ts';
import { defaultChoice, differingFields, displayLines, type MergeField } from './fields.ts';

function Lines({ lines }: { lines: string[] }) {
  if (lines.length === 0)
    return (
      <Text size="sm" c="dimmed">
        (empty)
      </Text>
    );
  return (
    <Stack gap={0}>
      {lines.map((line) => (
        <Text key={line} size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} lineClamp={4}>
          {line}
        </Text>
      ))}
    </Stack>
  );
}

/** Names of the organizations and owners the two people point at, for display. */
function useReferenceNames(a: Person, b: Person): Record<string, string> {
  const orgA = useOrganization(a.organizationId);
  const orgB = useOrganization(b.organizationId);
  const users = useUsers();
  return useMemo(() => {
    const names: Record<string, string> = {};
    for (const org of [orgA.data, orgB.data]) if (org) names[org.id] = org.name;
    for (const user of users) names[user.id] = user.name;
    return names;
  }, [orgA.data, orgB.data, users]);
}

function FieldChoice({
  field,
  survivor,
  other,
  value,
  onChange,
  names,
}: {
  field: MergeField;
  survivor: Person;
  other: Person;
  value: MergeChoice;
  onChange: (choice: MergeChoice) => void;
  names: Record<string, string>;
}) {
  const option = (choice: MergeChoice, person: Person) => (
    <Radio
      value={choice}
      aria-label={`${field.label}: keep ${person.displayName}'s`}
      label={<Lines lines={displayLines(field.key, person[field.key], names)} />}
    />
  );
  return (
    <Radio.Group
      label={field.label}
      value={value}
      onChange={(next) => onChange(next as MergeChoice)}
      styles={{ label: { fontWeight: 600 } }}
    >
      {/* Always three columns, under the headings, whether or not "Keep both" is offered. */}
      <SimpleGrid cols={3} mt={4} spacing="sm">
        {option('survivor', survivor)}
        {option('other', other)}
        {field.canKeepBoth && (
          <Radio value="both" aria-label={`${field.label}: keep both`} label="Keep both" />
        )}
      </SimpleGrid>
    </Radio.Group>
  );
}

/**
 * Side by side, field by field: which record survives, and for each field that differs, whose
 * value it keeps (or both). Merging asks for a confirmation first.
 */
export function MergeModal({
  pair,
  onClose,
  onMerged,
}: {
  pair: DuplicatePair;
  onClose: () => void;
  onMerged: (result: MergeResult, mergedName: string) => void;
}) {
  const [survivorId, setSurvivorId] = useState(pair.person.id);
  const survivor = survivorId === pair.person.id ? pair.person : pair.other;
  const other = survivorId === pair.person.id ? pair.other : pair.person;
  const fields = useMemo(() => differingFields(survivor, other), [survivor, other]);
  const [choices, setChoices] = useState<Record<string, MergeChoice>>({});
  const [confirming, setConfirming] = useState(false);
  const names = useReferenceNames(pair.person, pair.other);
  const choiceOf = (field: MergeField) => choices[field.key] ?? defaultChoice(field, survivor, other);

  const merge = useMutation({
    mutationFn: () => {
      const body: MergeInput = {
        otherId: other.id,
        version: survivor.version,
        otherVersion: other.version,
        fields: Object.fromEntries(fields.map((field) => [field.key, choiceOf(field)])),
      };
      return api.post<MergeResult>(`/api/v1/people/${survivor.id}/merge`, body);
    },
    onSuccess: (result) => onMerged(result, other.displayName),
  });

  return (
    <Modal
      opened
      onClose={onClose}
      title="Merge duplicates"
      size="xl"
      scrollAreaComponent={ScrollArea.Autosize}
    >
      <Stack>
        <Radio.Group
          label="Record to keep"
          description="The other record is merged into it: its interactions and relationships move over, then it is deleted. You can undo the merge."
          value={survivorId}
          onChange={(id) => {
            setSurvivorId(id);
            setChoices({});
            setConfirming(false);
          }}
        >
          <Group mt="xs">
            {[pair.person, pair.other].map((person) => (
              <Radio
                key={person.id}
                value={person.id}
                label={`${person.displayName} (created ${new Date(person.createdAt).toLocaleDateString()})`}
              />
            ))}
          </Group>
        </Radio.Group>
        <Group gap="xs">
          {pair.reasons.map((reason) => (
            <Badge key={reason.detail} variant="light">
              {reason.detail}
            </Badge>
          ))}
        </Group>
        {fields.length === 0 ? (
          <Text size="sm" c="dimmed">
            The two records hold the same values.
          </Text>
        ) : (
          <Stack gap="md">
            <SimpleGrid cols={3} spacing="sm" visibleFrom="sm" aria-hidden>
              <Text size="xs" c="dimmed" fw={600}>
                {survivor.displayName} (kept)
              </Text>
              <Text size="xs" c="dimmed" fw={600}>
                {other.displayName} (merged)
              </Text>
            </SimpleGrid>
            {fields.map((field) => (
              <FieldChoice
                key={field.key}
                field={field}
                survivor={survivor}
                other={other}
                value={choiceOf(field)}
                onChange={(choice) => setChoices((current) => ({ ...current, [field.key]: choice }))}
                names={names}
              />
            ))}
          </Stack>
        )}
        {merge.isError && (
          <Alert color="red" variant="light" icon={<AlertIcon />} role="alert" title="Not merged">
            {errorMessage(merge.error)}
          </Alert>
        )}
        {confirming ? (
          <Alert color="orange" variant="light" title="Merge these records?">
            <Stack gap="xs">
              <Text size="sm">
                {other.displayName} will be merged into {survivor.displayName} and deleted. Its interactions
                and relationships move to {survivor.displayName}. You can undo this from Recent merges.
              </Text>
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setConfirming(false)}>
                  Back
                </Button>
                <Button
                  color="orange"
                  loading={merge.isPending}
                  onClick={() => merge.mutate()}
                  data-autofocus
                >
                  Confirm merge
                </Button>
              </Group>
            </Stack>
          </Alert>
        ) : (
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button onClick={() => setConfirming(true)}>Merge into {survivor.displayName}</Button>
          </Group>
        )}
      </Stack>
    </Modal>
  );
}
