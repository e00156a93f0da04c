import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, Route, Router, Switch, useLocation } from 'wouter';
import { ApiError, api, type Me } from './api.ts';
import { type MessageKey, t } from './messages.ts';
import { Overview } from './pages/Overview.tsx';

// Pages other than the overview load on demand, so the first load stays small.
const Channels = lazy(() => import('./pages/Channels.tsx'));
const Calendar = lazy(() => import('./pages/Calendar.tsx'));
const Clients = lazy(() => import('./pages/Clients.tsx'));
const Content = lazy(() => import('./pages/Content.tsx'));
const Faq = lazy(() => import('./pages/Faq.tsx'));
const Handoffs = lazy(() => import('./pages/Handoffs.tsx'));
const Groups = lazy(() => import('./pages/Groups.tsx'));
const Audit = lazy(() => import('./pages/Audit.tsx'));
const Koc = lazy(() => import('./pages/Koc.tsx'));
const Events = lazy(() => import('./pages/Events.tsx'));
const FlashSales = lazy(() => import('./pages/FlashSales.tsx'));
const Experiments = lazy(() => import('./pages/Experiments.tsx'));
const Growth = lazy(() => import('./pages/Growth.tsx'));
const Engagement = lazy(() => import('./pages/Engagement.tsx'));

type Page = { path: string; label: MessageKey; roles: Me['role'][] };

/** Every page and who may see it (the same roles the API allows for what the page reads). */
export const PAGES: Page[] = [
  { path: '/', label: 'nav.overview', roles: ['admin', 'ops', 'compliance', 'rm'] },
  { path: '/channels', label: 'nav.channels', roles: ['admin', 'ops'] },
  { path: '/calendar', label: 'nav.calendar', roles: ['admin', 'ops', 'compliance', 'rm'] },
  { path: '/clients', label: 'nav.clients', roles: ['admin', 'ops', 'rm'] },
  { path: '/content', label: 'nav.content', roles: ['admin', 'ops', 'compliance'] },
  { path: '/faq', label: 'nav.faq', roles: ['admin', 'ops', 'compliance'] },
  { path: '/handoffs', label: 'nav.handoffs', roles: ['admin', 'ops', 'rm'] },
  { path: '/groups', label: 'nav.groups', roles: ['admin', 'ops', 'rm'] },
  { path: '/koc', label: 'nav.koc', roles: ['admin', 'ops', 'rm'] },
  { path: '/events', label: 'nav.events', roles: ['admin', 'ops', 'rm'] },
  { path: '/flash-sales', label: 'nav.flashSales', roles: ['admin', 'ops'] },
  { path: '/experiments', label: 'nav.experiments', roles: ['admin', 'ops', 'compliance'] },
  { path: '/growth', label: 'nav.growth', roles: ['admin', 'ops'] },
  { path: '/engagement', label: 'nav.engagement', roles: ['admin', 'ops', 'rm'] },
  { path: '/audit', label: 'nav.audit', roles: ['admin', 'compliance'] },
];

function Nav({ me }: { me: Me }) {
  const [location] = useLocation();
  return (
    <nav aria-label={t('nav.main')}>
      <ul>
        {PAGES.filter((p) => p.roles.includes(me.role)).map((p) => (
          <li key={p.path}>
            <Link href={p.path} aria-current={location === p.path ? 'page' : undefined}>
              {t(p.label)}
            </Link>
          </li>
        ))}
        {me.role === 'admin' ? (
          <li>
            <a href="/admin/queues">{t('nav.queues')}</a>
          </li>
        ) : null}
        <li>
          <a href="/api/docs">{t('nav.apiDocs')}</a>
        </li>
      </ul>
    </nav>
  );
}

function Guard({ me, page, children }: { me: Me; page: string; children: React.ReactNode }) {
  const allowed = PAGES.find((p) => p.path === page)?.roles.includes(me.role) ?? false;
  return allowed ? children : <p role="alert">{t('error.forbidden')}</p>;
}

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Me>('/whoami').then(setMe, (e: unknown) => {
      if (e instanceof ApiError && e.status !== 401)
        setError(e.code === 'network' ? t('error.network') : e.message);
    });
  }, []);
  const signOut = async () => {
    await api('/auth/logout', { method: 'POST' }).catch(() => undefined);
    window.location.assign('/auth/wecom/login');
  };
  if (error) return <p role="alert">{error}</p>;
  if (!me) return <p aria-busy="true">{t('app.loading')}</p>;
  return (
    <Router base="/console">
      <a className="skip" href="#main">
        {t('app.skipToContent')}
      </a>
      <header>
        <span className="brand">{t('app.title')}</span>
        <span>
          {t('app.signedInAs', {
            name: me.name,
            role: t(`role.${me.role}`),
            branch: me.branchScope ? ` · ${me.branchScope}` : '',
          })}
        </span>
        <button type="button" onClick={signOut}>
          {t('app.signOut')}
        </button>
      </header>
      <div className="layout">
        <Nav me={me} />
        <main id="main">
          <Suspense fallback={<p aria-busy="true">{t('app.loading')}</p>}>
            <Switch>
              <Route path="/">
                <Overview />
              </Route>
              <Route path="/channels">
                <Guard me={me} page="/channels">
                  <Channels />
                </Guard>
              </Route>
              <Route path="/calendar">
                <Calendar />
              </Route>
              <Route path="/clients">
                <Guard me={me} page="/clients">
                  <Clients />
                </Guard>
              </Route>
              <Route path="/content">
                <Guard me={me} page="/content">
                  <Content me={me} />
                </Guard>
              </Route>
              <Route path="/faq">
                <Guard me={me} page="/faq">
                  <Faq me={me} />
                </Guard>
              </Route>
              <Route path="/handoffs">
                <Guard me={me} page="/handoffs">
                  <Handoffs />
                </Guard>
              </Route>
              <Route path="/groups">
                <Guard me={me} page="/groups">
                  <Groups me={me} />
                </Guard>
              </Route>
              <Route path="/koc">
                <Guard me={me} page="/koc">
                  <Koc me={me} />
                </Guard>
              </Route>
              <Route path="/events">
                <Guard me={me} page="/events">
                  <Events me={me} />
                </Guard>
              </Route>
              <Route path="/flash-sales">
                <Guard me={me} page="/flash-sales">
                  <FlashSales />
                </Guard>
              </Route>
              <Route path="/experiments">
                <Guard me={me} page="/experiments">
                  <Experiments me={me} />
                </Guard>
              </Route>
              <Route path="/growth">
                <Guard me={me} page="/growth">
                  <Growth me={me} />
                </Guard>
              </Route>
              <Route path="/engagement">
                <Guard me={me} page="/engagement">
                  <Engagement me={me} />
                </Guard>
              </Route>
              <Route path="/audit">
                <Guard me={me} page="/audit">
                  <Audit />
                </Guard>
              </Route>
              <Route>
                <p role="alert">{t('error.notFound')}</p>
              </Route>
            </Switch>
          </Suspense>
        </main>
      </div>
    </Router>
  );
}
