import { useEffect } from 'react';
import { useBlocker } from 'react-router';

/**
 * Warns before unsaved changes are lost: the browser's own prompt on reload/close, and a
 * confirmation when navigating inside the app.
 */
export function useUnsavedWarning(dirty: boolean, what = 'You have unsaved changes') {
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm(`${what}. Leave this page and lose them?`)) blocker.proceed();
    else blocker.reset();
  }, [blocker, what]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
}
