import { useEffect, useRef } from 'react';
import { useBlocker } from 'react-router';

/**
 * Warns before unsaved changes are lost: the browser's own prompt on reload/close, and a
 * confirmation when navigating to another page of the app. Returns a ref: set it to false just
 * before navigating away on purpose (after a save or a delete), before React has re-rendered.
 */
export function useUnsavedGuard(dirty: boolean, what = 'You have unsaved changes') {
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirtyRef.current && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm(`${what}. Leave this page and lose them?`)) blocker.proceed();
    else blocker.reset();
  }, [blocker, what]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  return dirtyRef;
}
