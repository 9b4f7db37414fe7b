import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FeedbackContext, PortalArticle } from '../../../shared/portal-articles.ts';
import { api } from '../../app/api.ts';
import { usePortal } from '../session.tsx';
import { Button, ErrorNotice } from '../ui.tsx';

const visitorKey = 'rapport-portal-visitor';

/**
 * A random id this browser keeps, so that a signed-out reader's second answer to an article
 * replaces the first instead of counting twice. Signed-in readers are known by their session.
 */
function visitorId(): string | undefined {
  try {
    let id = localStorage.getItem(visitorKey);
    if (!id) {
      id = crypto.randomUUID().replace(/-/g, '');
      localStorage.setItem(visitorKey, id);
    }
    return id;
  } catch {
    return undefined;
  }
}

/** "Did this answer your question? Yes / No", then the thanks for the answer given. */
export function FeedbackQuestion({
  articleId,
  context,
  initial = null,
  thanksYes = 'Thank you — glad it helped.',
  thanksNo = 'Thank you. We will try to make this article better.',
}: {
  articleId: string;
  context: FeedbackContext;
  initial?: boolean | null;
  thanksYes?: string;
  thanksNo?: string;
}) {
  const { publicApi, session } = usePortal();
  const queryClient = useQueryClient();
  const [answer, setAnswer] = useState<boolean | null>(initial);
  const send = useMutation({
    mutationFn: (helpful: boolean) =>
      api.post(publicApi(`/articles/${articleId}/feedback`), {
        helpful,
        context,
        ...(session ? {} : { visitorId: visitorId() }),
      }),
    onSuccess: (_result, helpful) => {
      setAnswer(helpful);
      // Opened again later, the article remembers the answer (without reloading it and counting a view).
      queryClient.setQueriesData<PortalArticle>({ queryKey: ['portal-articles', 'one', articleId] }, (old) =>
        old ? { ...old, myAnswer: helpful } : old,
      );
    },
  });

  return (
    <div className="p-stack" aria-live="polite">
      {answer === null ? (
        <div className="p-row">
          <span style={{ fontWeight: 600 }}>Did this answer your question?</span>
          <Button variant="secondary" small busy={send.isPending} onClick={() => send.mutate(true)}>
            Yes
          </Button>
          <Button variant="secondary" small busy={send.isPending} onClick={() => send.mutate(false)}>
            No
          </Button>
        </div>
      ) : (
        <div className="p-row">
          <span role="status">{answer ? thanksYes : thanksNo}</span>
          <Button variant="secondary" small busy={send.isPending} onClick={() => send.mutate(!answer)}>
            {answer ? 'Actually, it did not' : 'Actually, it did'}
          </Button>
        </div>
      )}
      <ErrorNotice error={send.error} />
    </div>
  );
}
