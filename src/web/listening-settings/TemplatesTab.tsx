import {
  Badge,
  Grid,
  Group,
  NavLink,
  Paper,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { type ItemKind, itemKindLabels, itemKinds } from '../../shared/listening.ts';
import {
  type MessageTemplate,
  type MessageTemplateView,
  templatePlaceholders,
  templatePurposes,
  unknownPlaceholders,
} from '../../shared/listening-settings.ts';
import { api, errorMessage } from '../app/api.ts';
import { useMe } from '../app/session.ts';
import { QueryError, TableSkeleton } from '../app/ui.tsx';
import { errorUnder, pathErrors, SettingsActions, sameJson } from './common.tsx';

type Purpose = (typeof templatePurposes)[number];
const purposeLabels: Record<Purpose, string> = {
  acknowledgement: 'Acknowledgement',
  thank_you: 'Thank-you',
  fix_notice: 'Fix notice',
};
const purposeHelp: Record<Purpose, string> = {
  acknowledgement: 'Sent automatically when an item is logged and the customer has an email address.',
  thank_you: 'The default text of "Thank" on an item; staff can make it personal before sending.',
  fix_notice: 'The starting text when a problem is fixed and every customer of its items is told.',
};
const placeholderHelp: Record<(typeof templatePlaceholders)[number], string> = {
  name: "the customer's name",
  subject: "the item's subject",
  ref: 'the item number, e.g. 1042',
  workspace: 'your workspace name',
  resolution: 'how the item was resolved',
  summary: 'what the customer is told / what was fixed',
};
const keyOf = (purpose: string, kind: string) => `${purpose}.${kind}`;
type Drafts = Record<string, MessageTemplate>;

function draftsOf(list: MessageTemplateView[]): Drafts {
  const drafts: Drafts = {};
  for (const { customised: _, ...template } of list)
    drafts[keyOf(template.purpose, template.kind)] = template;
  return drafts;
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*([a-z]+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
}

export function TemplatesTab({ onDirty }: { onDirty: (dirty: boolean) => void }) {
  const queryClient = useQueryClient();
  const { data: me } = useMe();
  const query = useQuery({
    queryKey: ['message-templates'],
    queryFn: () => api.get<{ templates: MessageTemplateView[] }>('/api/v1/message-templates'),
  });
  const base = useMemo(() => (query.data ? draftsOf(query.data.templates) : null), [query.data]);
  const [drafts, setDrafts] = useState<Drafts | null>(null);
  const [purpose, setPurpose] = useState<Purpose>('acknowledgement');
  const [kind, setKind] = useState<ItemKind>('complaint');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  if (base && drafts === null) setDrafts(base);
  const changed = useMemo(
    () => (drafts && base ? Object.keys(drafts).filter((key) => !sameJson(drafts[key], base[key])) : []),
    [drafts, base],
  );
  const dirty = changed.length > 0;
  useEffect(() => onDirty(dirty), [dirty, onDirty]);

  if (query.isPending || !drafts) return <TableSkeleton rows={5} />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => query.refetch()} />;

  const key = keyOf(purpose, kind);
  const template = drafts[key];
  const sentOrder = changed;
  const errorAt = (field: string) => {
    const index = sentOrder.indexOf(key);
    return index < 0 ? undefined : errorUnder(errors, `templates.${index}.${field}`);
  };
  const set = (change: Partial<MessageTemplate>) =>
    template && setDrafts({ ...drafts, [key]: { ...template, ...change } });
  const customised = query.data.templates.find((t) => t.purpose === purpose && t.kind === kind)?.customised;
  const unknown = template ? unknownPlaceholders(`${template.subject} ${template.body}`) : [];
  const sample = {
    name: 'Ana Example',
    subject: 'The car would not start after the ice-cream stop',
    ref: '1042',
    workspace: me?.workspace.name ?? 'Your workspace',
    resolution: 'We replaced the faulty vapour-lock valve.',
    summary: 'The cause was found and fixed.',
  };

  const save = async () => {
    setSaving(true);
    setFormError(null);
    try {
      const templates = sentOrder.map((k) => drafts[k] as MessageTemplate);
      const saved = await api.put<{ templates: MessageTemplateView[] }>('/api/v1/message-templates', {
        templates,
      });
      queryClient.setQueryData(['message-templates'], saved);
      setDrafts(draftsOf(saved.templates));
      setErrors({});
      notifications.show({
        color: 'teal',
        message: `${templates.length} template${templates.length === 1 ? '' : 's'} saved.`,
      });
    } catch (error) {
      const found = pathErrors(error);
      setErrors(found);
      setFormError(Object.keys(found).length ? 'Check the highlighted templates.' : errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack>
      <SegmentedControl
        aria-label="Purpose"
        w="fit-content"
        value={purpose}
        onChange={(value) => setPurpose(value as Purpose)}
        data={templatePurposes.map((p) => ({ value: p, label: purposeLabels[p] }))}
      />
      <Text size="sm" c="dimmed">
        {purposeHelp[purpose]}
      </Text>
      <Grid>
        <Grid.Col span={{ base: 12, sm: 3 }}>
          <Stack gap={2} aria-label="Kinds">
            {itemKinds.map((k) => {
              const edited = changed.includes(keyOf(purpose, k));
              const off = drafts[keyOf(purpose, k)]?.enabled === false;
              return (
                <NavLink
                  key={k}
                  label={itemKindLabels[k]}
                  active={k === kind}
                  onClick={() => setKind(k)}
                  rightSection={
                    edited ? (
                      <Badge size="xs" color="orange" variant="light">
                        edited
                      </Badge>
                    ) : off ? (
                      <Badge size="xs" color="gray" variant="light">
                        off
                      </Badge>
                    ) : null
                  }
                  style={{ borderRadius: 'var(--mantine-radius-md)' }}
                />
              );
            })}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 9 }}>
          {template && (
            <Stack gap="sm">
              <Group justify="space-between">
                <Switch
                  label={`Send the ${purposeLabels[purpose].toLowerCase()} for ${itemKindLabels[kind].toLowerCase()} items`}
                  checked={template.enabled}
                  onChange={(e) => set({ enabled: e.currentTarget.checked })}
                />
                <Badge variant="light" color={customised ? 'blue' : 'gray'}>
                  {customised ? 'Your text' : 'Default text'}
                </Badge>
              </Group>
              <TextInput
                label="Subject"
                value={template.subject}
                onChange={(e) => set({ subject: e.currentTarget.value })}
                error={errorAt('subject')}
              />
              <Textarea
                label="Body"
                autosize
                minRows={6}
                value={template.body}
                onChange={(e) => set({ body: e.currentTarget.value })}
                error={
                  errorAt('body') ??
                  (unknown.length
                    ? `Unknown placeholder: ${unknown.map((u) => `{{${u}}}`).join(', ')}`
                    : undefined)
                }
              />
              <Group gap={6}>
                <Text size="xs" c="dimmed">
                  Placeholders:
                </Text>
                {templatePlaceholders.map((name) => (
                  <Badge
                    key={name}
                    component="button"
                    type="button"
                    variant="outline"
                    tt="none"
                    style={{ cursor: 'pointer' }}
                    title={`Insert {{${name}}}: ${placeholderHelp[name]}`}
                    onClick={() => set({ body: `${template.body}{{${name}}}` })}
                  >
                    {`{{${name}}}`}
                  </Badge>
                ))}
              </Group>
              <Paper
                withBorder
                p="sm"
                radius="md"
                bg="var(--mantine-color-default-hover)"
                aria-label="Preview"
              >
                <Text size="xs" c="dimmed" mb={4}>
                  Preview
                </Text>
                <Text size="sm" fw={600}>
                  {fill(template.subject, sample)}
                </Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {fill(template.body, sample)}
                </Text>
              </Paper>
            </Stack>
          )}
        </Grid.Col>
      </Grid>
      <SettingsActions
        dirty={dirty}
        saving={saving}
        error={formError}
        onSave={() => void save()}
        onDiscard={() => {
          setDrafts(base);
          setErrors({});
          setFormError(null);
        }}
      />
    </Stack>
  );
}
