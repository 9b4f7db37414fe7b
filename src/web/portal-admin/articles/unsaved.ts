import { useEffect, useRef } from 'react';
import { useBlocker } from 'react-router';

/**
 * Warns before unsaved changes are lost (the browser prompt on reload/close, a confirmation on
 * in-app navigation). Returns a ref: set it to false just before navigating away on purpose
 * (after a save or delete), before React has re-rendered with the new state.
 */
export function useUnsavedGuard(dirty: boolean) {
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirtyRef.current && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm('This article has unsaved changes. Leave and lose them?')) blocker.proceed();
    else blocker.reset();
  }, [blocker]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  return dirtyRef;
}
