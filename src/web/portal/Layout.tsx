import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { NavLink, Outlet, useNavigate, useParams } from 'react-router';
import { api, withQuery } from '../app/api.ts';
import {
  PortalContext,
  type PortalContextValue,
  portalApi,
  useForgetSession,
  usePortalSession,
  usePortalSite,
} from './session.tsx';
import { Button, ErrorNotice, Loading, Notice } from './ui.tsx';

/** The portal frame: branding, the parts that are on, sign-in state. */
export function Layout() {
  const { slug = '' } = useParams();
  const site = usePortalSite(slug);
  const session = usePortalSession();
  const forget = useForgetSession();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: () => api.post(portalApi('/auth/sign-out')),
    onSettled: () => {
      forget();
      navigate(`/portal/${slug}`);
    },
  });

  const brand = site.data?.primaryColor;
  useEffect(() => {
    if (brand) document.documentElement.style.setProperty('--brand', brand);
    if (site.data) document.title = site.data.title;
  }, [brand, site.data]);

  if (site.isPending || session.isPending) return <Loading />;
  if (site.error) {
    return (
      <main className="p-main">
        <ErrorNotice error={site.error} />
      </main>
    );
  }
  // A session belongs to one portal: on another portal's address, act as signed out.
  const current = session.data && session.data.site.slug === slug ? session.data : null;
  const value: PortalContextValue = {
    slug,
    site: site.data,
    session: current,
    to: (path) => `/portal/${slug}${path === '/' ? '' : path}`,
    publicApi: (path, params = {}) => withQuery(portalApi(path), { workspace: slug, ...params }),
  };
  const parts = site.data.parts;
  const links = [
    { to: value.to('/'), label: 'Home', show: true, end: true },
    { to: value.to('/requests'), label: 'My requests', show: parts.items && Boolean(current) },
    {
      to: value.to('/suggestions'),
      label: 'Suggestions',
      show: parts.suggestions && (Boolean(current) || site.data.publicSuggestions),
    },
    {
      to: value.to('/help'),
      label: 'Help',
      show: parts.articles && (Boolean(current) || site.data.publicArticles),
    },
    { to: value.to('/looking-for'), label: 'Looking for', show: parts.intents && Boolean(current) },
    { to: value.to('/my-data'), label: 'My data', show: Boolean(current) },
    { to: value.to('/terms'), label: 'My terms', show: Boolean(current) },
  ];
  return (
    <PortalContext.Provider value={value}>
      <header className="p-header">
        {site.data.logoUrl ? <img src={site.data.logoUrl} alt="" /> : null}
        <a className="p-title" href={value.to('/')}>
          {site.data.title}
        </a>
        {current ? (
          <Button small variant="secondary" busy={signOut.isPending} onClick={() => signOut.mutate()}>
            Sign out
          </Button>
        ) : (
          <NavLink className="p-btn p-small" to={value.to('/sign-in')}>
            Sign in
          </NavLink>
        )}
      </header>
      <nav className="p-nav" aria-label="Portal">
        {links
          .filter((link) => link.show)
          .map((link) => (
            <NavLink key={link.to} to={link.to} end={link.end}>
              {link.label}
            </NavLink>
          ))}
      </nav>
      <main className="p-main">
        {session.error ? (
          <Notice kind="error">Could not check whether you are signed in. Reload the page.</Notice>
        ) : null}
        <Outlet />
      </main>
      <footer className="p-footer">
        {current ? `Signed in as ${current.email}. ` : ''}
        {site.data.name} listens: everything you send here reaches a person who owns it.
      </footer>
    </PortalContext.Provider>
  );
}
