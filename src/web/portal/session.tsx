import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { PortalSession, PortalSite } from '../../shared/portal.ts';
import { ApiError, api, setCsrfToken, withQuery } from '../app/api.ts';
import { Loading } from './ui.tsx';

/** Customer API paths: `/portal/api/v1` + path. */
export const portalApi = (path: string) => `/portal/api/v1${path}`;

export const sessionKey = ['portal-session'] as const;

export interface PortalContextValue {
  slug: string;
  site: PortalSite;
  /** Null when nobody is signed in. */
  session: PortalSession | null;
  /** Path inside this portal, e.g. to('/requests') = /portal/acme/requests. */
  to: (path: string) => string;
  /** A customer API path that names the portal (for routes that work before sign-in). */
  publicApi: (path: string, params?: Record<string, string | number | undefined | null>) => string;
}

export const PortalContext = createContext<PortalContextValue | null>(null);

export function usePortal(): PortalContextValue {
  const value = useContext(PortalContext);
  if (!value) throw new Error('usePortal outside the portal layout');
  return value;
}

/** The customer's session (null when signed out); remembers its CSRF token for writes. */
export function usePortalSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: async () => {
      try {
        const session = await api.get<PortalSession>(portalApi('/session'));
        setCsrfToken(session.csrfToken);
        return session;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          setCsrfToken(null);
          return null;
        }
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function usePortalSite(slug: string) {
  return useQuery({
    queryKey: ['portal-site', slug],
    queryFn: () => api.get<PortalSite>(withQuery(portalApi('/site'), { workspace: slug })),
    staleTime: 5 * 60_000,
  });
}

/** Forget the session after sign-out or a 401, so the pages show sign-in. */
export function useForgetSession() {
  const queryClient = useQueryClient();
  return () => {
    setCsrfToken(null);
    queryClient.setQueryData(sessionKey, null);
    queryClient.removeQueries({
      predicate: (query) => query.queryKey[0] !== 'portal-site' && query.queryKey !== sessionKey,
    });
  };
}

/** Pages only a signed-in customer sees; others go to sign-in and come back afterwards. */
export function RequireCustomer({ children }: { children: ReactNode }) {
  const { session, to } = usePortal();
  const location = useLocation();
  if (session === undefined) return <Loading />;
  if (!session) {
    return <Navigate to={`${to('/sign-in')}?next=${encodeURIComponent(location.pathname)}`} replace />;
  }
  return <>{children}</>;
}
