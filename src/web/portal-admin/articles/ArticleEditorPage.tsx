import {
  Alert,
  Anchor,
  Autocomplete,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { StaffArticle } from '../../../shared/portal-articles.ts';
import { ApiError, errorMessage } from '../../app/api.ts';
import { useCan } from '../../app/session.ts';
import { ConfirmModal, formatDate, QueryError } from '../../app/ui.tsx';
import { useUnsavedGuard } from '../../app/unsaved.ts';
import { useArticle, useArticleCategories, useDeleteArticle, useSaveArticle } from './api.ts';
import { MarkdownPreview } from './MarkdownPreview.tsx';

interface Draft {
  title: string;
  category: string;
  body: string;
}

const emptyDraft: Draft = { title: '', category: '', body: '' };
const draftOf = (article: StaffArticle): Draft => ({
  title: article.title,
  category: article.category ?? '',
  body: article.body,
});
const fieldError = (error: unknown, field: string) =>
  error instanceof ApiError ? error.errors.find((row) => row.path === `body.${field}`)?.message : undefined;

/** /portal-admin/articles/:id — `new` writes a new article. */
export function ArticleEditorPage() {
  const { id = 'new' } = useParams();
  const isNew = id === 'new';
  const article = useArticle(isNew ? null : id);
  if (!isNew && article.isPending) return <Text c="dimmed">Loading the article…</Text>;
  if (!isNew && article.isError)
    return <QueryError error={article.error} onRetry={() => article.refetch()} />;
  return (
    <Editor
      key={id}
      article={isNew ? null : (article.data ?? null)}
      onReload={async () => (await article.refetch()).data}
    />
  );
}

function Editor({
  article,
  onReload,
}: {
  article: StaffArticle | null;
  onReload: () => Promise<StaffArticle | undefined>;
}) {
  const can = useCan();
  const editable = can('portal.content');
  const navigate = useNavigate();
  const saved = article ? draftOf(article) : emptyDraft;
  const [draft, setDraft] = useState<Draft>(saved);
  const [conflict, setConflict] = useState(false);
  const [deleting, deleteDialog] = useDisclosure(false);
  const categories = useArticleCategories();
  const save = useSaveArticle(article?.id ?? null);
  const remove = useDeleteArticle();
  const dirty = draft.title !== saved.title || draft.category !== saved.category || draft.body !== saved.body;
  const guard = useUnsavedGuard(dirty && editable, 'This article has unsaved changes');

  const submit = async (status?: 'draft' | 'published') => {
    if (!editable || save.isPending) return;
    const fields = {
      title: draft.title,
      category: draft.category.trim() ? draft.category.trim() : null,
      body: draft.body,
    };
    try {
      if (article) {
        await save.mutateAsync({ updatedAt: article.updatedAt, ...fields, ...(status ? { status } : {}) });
        notifications.show({ color: 'teal', message: status === 'published' ? 'Published.' : 'Saved.' });
      } else {
        const created = await save.mutateAsync({ ...fields, status: status ?? 'draft' });
        guard.current = false;
        notifications.show({
          color: 'teal',
          message: status === 'published' ? 'Published.' : 'Draft saved.',
        });
        navigate(`/portal-admin/articles/${created.id}`, { replace: true });
      }
      setConflict(false);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) setConflict(true);
    }
  };

  const confirmDelete = async () => {
    if (!article) return;
    try {
      await remove.mutateAsync(article.id);
      guard.current = false;
      notifications.show({ message: `“${article.title}” was deleted.` });
      navigate('/portal-admin/articles');
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not delete', message: errorMessage(error) });
    }
  };

  useHotkeys([['mod+S', () => void submit()]], []);

  const published = article?.status === 'published';
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/portal-admin/articles" size="sm">
        ← Knowledge base
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1} size="h2">
            {article ? article.title : 'New article'}
          </Title>
          {article && (
            <Group gap="xs">
              <Badge variant="light" color={published ? 'teal' : 'gray'}>
                {published ? 'Published' : 'Draft'}
              </Badge>
              {article.flagged && (
                <Badge color="red" variant="light">
                  Flagged: many readers said it did not help
                </Badge>
              )}
              <Text size="sm" c="dimmed">
                {article.views} views · {article.helpfulYes} yes / {article.helpfulNo} no · updated{' '}
                {formatDate(article.updatedAt)}
              </Text>
              {article.sourceItemId && (
                <Anchor component={Link} to={`/items/${article.sourceItemId}`} size="sm">
                  From an item
                </Anchor>
              )}
            </Group>
          )}
        </Stack>
        {editable && (
          <Group gap="xs">
            <Button
              variant="default"
              onClick={() => void submit()}
              loading={save.isPending}
              disabled={!dirty && !!article}
            >
              {article ? 'Save' : 'Save draft'}
            </Button>
            <Button
              onClick={() => void submit(published ? 'draft' : 'published')}
              loading={save.isPending}
              color={published ? 'gray' : undefined}
            >
              {published ? 'Unpublish' : 'Publish'}
            </Button>
            {article && (
              <Button variant="light" color="red" onClick={deleteDialog.open}>
                Delete
              </Button>
            )}
          </Group>
        )}
      </Group>

      {conflict && (
        <Alert color="orange" variant="light" title="Someone else saved this article" role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">Reload to see their version; copy your text first if you want to keep it.</Text>
            <Button
              size="xs"
              variant="default"
              onClick={async () => {
                const fresh = await onReload();
                if (fresh) setDraft(draftOf(fresh));
                setConflict(false);
              }}
            >
              Reload
            </Button>
          </Stack>
        </Alert>
      )}
      {save.isError && !conflict && !(save.error instanceof ApiError && save.error.errors.length > 0) && (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(save.error)}
        </Alert>
      )}

      <fieldset disabled={!editable} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Title"
              required
              maxLength={300}
              value={draft.title}
              onChange={(event) => setDraft({ ...draft, title: event.currentTarget.value })}
              error={fieldError(save.error, 'title')}
              data-autofocus
            />
            <Autocomplete
              label="Category"
              description="Pick one or type a new one"
              maxLength={100}
              data={categories.data ?? []}
              value={draft.category}
              onChange={(value) => setDraft({ ...draft, category: value })}
              error={fieldError(save.error, 'category')}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Textarea
              label="Text (Markdown)"
              description="# heading, **bold**, *italic*, `code`, - lists, [link](https://…)"
              autosize
              minRows={14}
              maxRows={40}
              value={draft.body}
              onChange={(event) => setDraft({ ...draft, body: event.currentTarget.value })}
              error={fieldError(save.error, 'body')}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            <Paper withBorder p="md" radius="md" aria-label="Preview">
              <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb="xs">
                Preview
              </Text>
              <MarkdownPreview source={draft.body} />
            </Paper>
          </SimpleGrid>
          {editable && (
            <Text size="xs" c="dimmed">
              {dirty ? 'Unsaved changes — Ctrl+S (⌘S) saves.' : 'All changes saved.'}
            </Text>
          )}
        </Stack>
      </fieldset>

      <ConfirmModal
        opened={deleting}
        title="Delete this article?"
        confirmLabel="Delete article"
        onConfirm={() => void confirmDelete()}
        onClose={deleteDialog.close}
        loading={remove.isPending}
      >
        “{article?.title}” disappears from the portal, with its{' '}
        {article ? article.helpfulYes + article.helpfulNo : 0} answers. This cannot be undone; unpublish it
        instead to keep it as a draft.
      </ConfirmModal>
    </Stack>
  );
}
