import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Permission } from '../../shared/permissions.ts';
import { NotFound } from './errors.tsx';
import { Shell } from './Shell.tsx';
import { useCan, useMe, useSetupStatus } from './session.ts';
import { NoAccess, QueryError } from './ui.tsx';

export function FullPageLoader() {
  return (
    <Center mih="100vh">
      <Loader aria-label="Loading" />
    </Center>
  );
}

/** Shows the app shell for a signed-in user; otherwise sends them to setup or sign-in. */
export function RequireSession() {
  const me = useMe();
  const location = useLocation();
  const setup = useSetupStatus(me.data === null);
  if (me.isPending) return <FullPageLoader />;
  if (me.isError)
    return (
      <Center mih="100vh" p="md">
        <QueryError error={me.error} onRetry={() => me.refetch()} />
      </Center>
    );
  if (me.data === null) {
    if (setup.isPending) return <FullPageLoader />;
    if (setup.data?.needed) return <Navigate to="/setup" replace />;
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return <Shell me={me.data} />;
}

/** Unknown paths: the 404 page, inside the shell when signed in. */
export function NotFoundRoute() {
  const me = useMe();
  if (me.isPending) return <FullPageLoader />;
  if (me.data) return <Shell me={me.data}>{<NotFound />}</Shell>;
  return <NotFound />;
}

/** Renders a page only for roles that have the permission (the server checks again). */
export function Guard({ permission, children }: { permission: Permission; children: ReactNode }) {
  const can = useCan();
  return can(permission) ? children : <NoAccess />;
}
