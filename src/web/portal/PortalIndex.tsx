import { useQuery } from '@tanstack/react-query';
import { Navigate } from 'react-router';
import type { PortalSite } from '../../shared/portal.ts';
import { api } from '../app/api.ts';
import { portalApi } from './session.tsx';
import { Loading, Notice } from './ui.tsx';

/** /portal alone: go to the only portal on this server, or ask for the company's link. */
export function PortalIndex() {
  const site = useQuery({
    queryKey: ['portal-site', ''],
    queryFn: () => api.get<PortalSite>(portalApi('/site')),
    retry: false,
  });
  if (site.isPending) return <Loading />;
  if (site.data) return <Navigate to={`/portal/${site.data.slug}`} replace />;
  return (
    <main className="p-main">
      <Notice>Use the portal link your company gave you (it looks like /portal/company-name).</Notice>
    </main>
  );
}

export function NotFound() {
  return (
    <Notice>
      There is nothing at this address. <a href="./">Go to the portal's home page.</a>
    </Notice>
  );
}
