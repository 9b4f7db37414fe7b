import { Link } from 'react-router';
import { usePortal } from './session.tsx';
import { Card } from './ui.tsx';

export function HomePage() {
  const { site, session, to } = usePortal();
  const parts = site.parts;
  const tiles = [
    {
      show: parts.items,
      path: session ? '/requests/new' : '/sign-in',
      title: 'Tell us something',
      text: 'A question, a request, a suggestion, a complaint or praise: a person takes it and answers you.',
    },
    {
      show: parts.items && Boolean(session),
      path: '/requests',
      title: 'My requests',
      text: 'Follow what you sent us, reply, and see the outcome.',
    },
    {
      show: parts.articles && (Boolean(session) || site.publicArticles),
      path: '/help',
      title: 'Help yourself',
      text: 'Answers to common questions, right now.',
    },
    {
      show: parts.suggestions && (Boolean(session) || site.publicSuggestions),
      path: '/suggestions',
      title: 'Suggestions',
      text: 'Vote for ideas and see what is planned and done.',
    },
    {
      show: parts.intents && Boolean(session),
      path: '/looking-for',
      title: 'Looking for something?',
      text: 'Tell us what you want to buy, your budget and by when; we answer on your terms.',
    },
    {
      show: Boolean(session),
      path: '/my-data',
      title: 'My data',
      text: 'See and correct what we hold about you, download it, or ask us to erase it.',
    },
    {
      show: Boolean(session),
      path: '/terms',
      title: 'My terms',
      text: 'You decide how, why and how often we may contact you.',
    },
  ];
  return (
    <>
      <h1>{session?.name ? `Hello, ${session.name}` : `Welcome to ${site.title}`}</h1>
      {site.welcome ? <p className="p-pre">{site.welcome}</p> : null}
      {!session ? (
        <Card>
          <p>Sign in with your email to follow your requests, manage your data and set your terms.</p>
          <Link className="p-btn" to={to('/sign-in')}>
            Sign in
          </Link>
        </Card>
      ) : null}
      {tiles
        .filter((tile) => tile.show)
        .map((tile) => (
          <Card key={tile.title}>
            <h2>
              <Link to={to(tile.path)}>{tile.title}</Link>
            </h2>
            <p className="p-muted">{tile.text}</p>
          </Card>
        ))}
    </>
  );
}
