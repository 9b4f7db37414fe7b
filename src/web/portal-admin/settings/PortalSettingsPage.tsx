import {
  Anchor,
  Button,
  ColorInput,
  FileButton,
  Group,
  Image,
  NumberInput,
  Paper,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import type { PortalParts, PortalSettings, UpdatePortalSettingsInput } from '../../../shared/portal.ts';
import { ApiError, api, errorMessage } from '../../app/api.ts';
import { SaveBar } from '../../app/SaveBar.tsx';
import { useCan, useMe } from '../../app/session.ts';
import { ConfirmModal, CopyValue, PageHeader, QueryError, TableSkeleton } from '../../app/ui.tsx';

const settingsKey = ['portal-settings'] as const;

interface Form {
  slug: string;
  enabled: boolean;
  title: string;
  welcome: string;
  primaryColor: string;
  parts: PortalParts;
  publicSuggestions: boolean;
  publicArticles: boolean;
  erasureDays: number;
}

const partLabels: Record<keyof PortalParts, { label: string; description: string }> = {
  items: { label: 'Requests', description: 'Customers send questions, complaints, praise… and follow them.' },
  suggestions: { label: 'Suggestions board', description: 'Customers vote and comment on suggestions.' },
  articles: { label: 'Help articles', description: 'The knowledge base, shown before customers ask.' },
  intents: { label: 'Looking for', description: 'Customers announce what they want to buy (intentcasting).' },
};

function toForm(settings: PortalSettings): Form {
  return {
    slug: settings.slug,
    enabled: settings.enabled,
    title: settings.title ?? '',
    welcome: settings.welcome ?? '',
    primaryColor: settings.primaryColor,
    parts: settings.parts,
    publicSuggestions: settings.publicSuggestions,
    publicArticles: settings.publicArticles,
    erasureDays: settings.erasureDays,
  };
}

function toInput(form: Form): UpdatePortalSettingsInput {
  return { ...form, title: form.title.trim() === '' ? null : form.title, welcome: form.welcome || null };
}

async function uploadLogo(file: File, csrfToken: string | undefined): Promise<PortalSettings> {
  const body = new FormData();
  body.append('file', file);
  const response = await fetch('/api/v1/portal/settings/logo', {
    method: 'PUT',
    body,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', ...(csrfToken ? { 'X-CSRF-Token': csrfToken } : {}) },
  });
  const json = (await response.json().catch(() => ({}))) as PortalSettings & {
    detail?: string;
    code?: string;
  };
  if (!response.ok) {
    throw new ApiError(
      response.status,
      json.code ?? 'error',
      json.detail ?? `Upload failed (${response.status}).`,
    );
  }
  return json;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

function LogoSection({ settings, editable }: { settings: PortalSettings; editable: boolean }) {
  const me = useMe();
  const queryClient = useQueryClient();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const upload = useMutation({
    mutationFn: (file: File) => uploadLogo(file, me.data?.csrfToken ?? undefined),
    onSuccess: (updated) => {
      queryClient.setQueryData(settingsKey, updated);
      notifications.show({ message: 'Logo updated.' });
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Could not upload the logo', message: errorMessage(error) }),
  });
  const remove = useMutation({
    mutationFn: () => api.delete('/api/v1/portal/settings/logo'),
    onSuccess: async () => {
      setConfirmRemove(false);
      await queryClient.invalidateQueries({ queryKey: settingsKey });
      notifications.show({ message: 'Logo removed.' });
    },
    onError: (error) => {
      setConfirmRemove(false);
      notifications.show({ color: 'red', title: 'Could not remove the logo', message: errorMessage(error) });
    },
  });
  return (
    <Group align="center" gap="md">
      {settings.logoUrl ? (
        <Image src={settings.logoUrl} alt="The portal's logo" h={64} w="auto" fit="contain" />
      ) : (
        <Text size="sm" c="dimmed">
          No logo: the portal shows its title.
        </Text>
      )}
      {editable ? (
        <Group gap="xs">
          <FileButton
            onChange={(file) => file && upload.mutate(file)}
            accept="image/png,image/jpeg,image/webp"
          >
            {(props) => (
              <Button {...props} variant="default" loading={upload.isPending}>
                {settings.logoUrl ? 'Replace logo' : 'Upload logo'}
              </Button>
            )}
          </FileButton>
          {settings.logoUrl ? (
            <Button variant="subtle" color="red" onClick={() => setConfirmRemove(true)}>
              Remove
            </Button>
          ) : null}
        </Group>
      ) : null}
      <Text size="xs" c="dimmed" w="100%">
        PNG, JPEG or WebP up to 1 MB; scaled down to fit 256×256.
      </Text>
      <ConfirmModal
        opened={confirmRemove}
        title="Remove the logo?"
        confirmLabel="Remove"
        onConfirm={() => remove.mutate()}
        onClose={() => setConfirmRemove(false)}
        loading={remove.isPending}
      >
        The portal will show its title instead.
      </ConfirmModal>
    </Group>
  );
}

export function PortalSettingsPage() {
  const can = useCan();
  const editable = can('portal.configure');
  const queryClient = useQueryClient();
  const settings = useQuery({
    queryKey: settingsKey,
    queryFn: () => api.get<PortalSettings>('/api/v1/portal/settings'),
  });
  const [form, setForm] = useState<Form | null>(null);
  useEffect(() => {
    if (settings.data && !form) setForm(toForm(settings.data));
  }, [settings.data, form]);
  const save = useMutation({
    mutationFn: (input: UpdatePortalSettingsInput) =>
      api.patch<PortalSettings>('/api/v1/portal/settings', input),
    onSuccess: (updated) => {
      queryClient.setQueryData(settingsKey, updated);
      setForm(toForm(updated));
      notifications.show({ message: 'Portal settings saved.' });
    },
  });

  if (settings.error) return <QueryError error={settings.error} onRetry={() => settings.refetch()} />;
  if (!settings.data || !form) return <TableSkeleton />;
  const data = settings.data;
  const dirty = JSON.stringify(toForm(data)) !== JSON.stringify(form);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm({ ...form, [key]: value });
  const fieldError = (path: string) =>
    save.error instanceof ApiError
      ? (save.error.errors.find((error) => error.path === `body.${path}`)?.message ?? null)
      : null;

  return (
    <>
      <PageHeader
        title="Portal"
        description="Where customers manage their side of the relationship: its address, branding and which parts are on."
      />
      <Stack gap="md" maw={760}>
        <Section title="Address">
          <Group gap="xs" align="center" wrap="nowrap">
            <Text ff="monospace" size="sm" style={{ overflowWrap: 'anywhere' }}>
              {data.portalUrl}
            </Text>
            <CopyValue value={data.portalUrl} label="Copy the portal address" />
            <Anchor href={data.portalUrl} target="_blank" rel="noopener">
              Open portal
            </Anchor>
          </Group>
          <TextInput
            label="Address name (slug)"
            description="The part after /portal/. Changing it breaks links already sent."
            value={form.slug}
            onChange={(event) => set('slug', event.currentTarget.value)}
            error={fieldError('slug')}
            disabled={!editable}
          />
          <Switch
            label="Portal is open"
            description="When off, customers see that the portal does not exist."
            checked={form.enabled}
            onChange={(event) => set('enabled', event.currentTarget.checked)}
            disabled={!editable}
          />
        </Section>
        <Section title="Branding">
          <TextInput
            label="Title"
            description="Empty: the workspace name."
            maxLength={200}
            value={form.title}
            onChange={(event) => set('title', event.currentTarget.value)}
            error={fieldError('title')}
            disabled={!editable}
          />
          <Textarea
            label="Welcome text"
            autosize
            minRows={2}
            maxLength={5000}
            value={form.welcome}
            onChange={(event) => set('welcome', event.currentTarget.value)}
            error={fieldError('welcome')}
            disabled={!editable}
          />
          <ColorInput
            label="Colour"
            format="hex"
            value={form.primaryColor}
            onChange={(value) => set('primaryColor', value)}
            error={fieldError('primaryColor')}
            disabled={!editable}
            w={220}
          />
          <LogoSection settings={data} editable={editable} />
        </Section>
        <Section title="Parts of the portal">
          {(Object.keys(partLabels) as (keyof PortalParts)[]).map((part) => (
            <Switch
              key={part}
              label={partLabels[part].label}
              description={partLabels[part].description}
              checked={form.parts[part]}
              onChange={(event) => set('parts', { ...form.parts, [part]: event.currentTarget.checked })}
              disabled={!editable}
            />
          ))}
          <Switch
            label="Suggestions board is public"
            description="People who are not signed in may read it (only signed-in customers vote and comment)."
            checked={form.publicSuggestions}
            onChange={(event) => set('publicSuggestions', event.currentTarget.checked)}
            disabled={!editable}
          />
          <Switch
            label="Help articles are public"
            checked={form.publicArticles}
            onChange={(event) => set('publicArticles', event.currentTarget.checked)}
            disabled={!editable}
          />
        </Section>
        <Section title="Erasure requests">
          <NumberInput
            label="Days to decide"
            description="The deadline customers are shown when they ask to be erased (1–90)."
            min={1}
            max={90}
            value={form.erasureDays}
            onChange={(value) => set('erasureDays', typeof value === 'number' ? value : Number(value) || 1)}
            error={fieldError('erasureDays')}
            disabled={!editable}
            w={220}
          />
        </Section>
        {editable ? (
          <SaveBar
            dirty={dirty}
            formError={
              save.error && !(save.error instanceof ApiError && save.error.errors.length)
                ? errorMessage(save.error)
                : null
            }
            conflict={false}
            what="portal settings"
            saving={save.isPending}
            onReload={() => setForm(toForm(data))}
            onDiscard={() => {
              save.reset();
              setForm(toForm(data));
            }}
            onSave={() => save.mutate(toInput(form))}
          />
        ) : (
          <Text size="sm" c="dimmed">
            Only admins change the portal settings.
          </Text>
        )}
      </Stack>
    </>
  );
}
