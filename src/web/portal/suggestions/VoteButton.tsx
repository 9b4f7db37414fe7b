import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation } from 'react-router';
import type { VoteResult } from '../../../shared/portal-suggestions.ts';
import { api } from '../../app/api.ts';
import { portalApi, usePortal } from '../session.tsx';
import { Button, problemText } from '../ui.tsx';

/** The board's query keys all start with this, so one vote refreshes the list and the detail. */
export const boardKey = 'portal-suggestions';

/** "Vote" / "Voted" (a toggle) with the count beside it; signed-out visitors get a sign-in link. */
export function VoteButton({
  id,
  voteCount,
  votedByMe,
}: {
  id: string;
  voteCount: number;
  votedByMe: boolean;
}) {
  const { session, to } = usePortal();
  const location = useLocation();
  const queryClient = useQueryClient();
  const vote = useMutation({
    mutationFn: (on: boolean) =>
      on
        ? api.post<VoteResult>(portalApi(`/suggestions/${id}/vote`))
        : api.delete<VoteResult>(portalApi(`/suggestions/${id}/vote`)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [boardKey] }),
  });
  const shown = vote.data ?? { voteCount, votedByMe };
  const count = (
    <span className="p-muted" aria-live="polite">
      {shown.voteCount} {shown.voteCount === 1 ? 'vote' : 'votes'}
    </span>
  );
  if (!session) {
    return (
      <div className="p-row">
        {count}
        <Link to={`${to('/sign-in')}?next=${encodeURIComponent(location.pathname)}`}>Sign in to vote</Link>
      </div>
    );
  }
  return (
    <div className="p-row">
      <Button
        variant={shown.votedByMe ? 'primary' : 'secondary'}
        aria-pressed={shown.votedByMe}
        busy={vote.isPending}
        onClick={() => vote.mutate(!shown.votedByMe)}
      >
        {shown.votedByMe ? 'Voted' : 'Vote'}
      </Button>
      {count}
      {vote.isError ? (
        <span role="alert" className="p-field-error">
          {problemText(vote.error)}
        </span>
      ) : null}
    </div>
  );
}
