import { createBrowserRouter } from 'react-router';
import { HomePage } from './HomePage.tsx';
import { ArticlePage } from './help/ArticlePage.tsx';
import { HelpPage } from './help/HelpPage.tsx';
import { IntentsPage } from './intents/IntentsPage.tsx';
import { ItemPage } from './items/ItemPage.tsx';
import { MyItemsPage } from './items/MyItemsPage.tsx';
import { NewItemPage } from './items/NewItemPage.tsx';
import { Layout } from './Layout.tsx';
import { MyDataPage } from './me/MyDataPage.tsx';
import { NotFound, PortalIndex } from './PortalIndex.tsx';
import { SignInPage } from './SignInPage.tsx';
import { RequireCustomer } from './session.tsx';
import { SuggestionPage } from './suggestions/SuggestionPage.tsx';
import { SuggestionsPage } from './suggestions/SuggestionsPage.tsx';
import { TermsPage } from './terms/TermsPage.tsx';

const signedIn = (element: React.ReactNode) => <RequireCustomer>{element}</RequireCustomer>;

export const router = createBrowserRouter([
  { path: '/portal', element: <PortalIndex /> },
  {
    path: '/portal/:slug',
    element: <Layout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'requests', element: signedIn(<MyItemsPage />) },
      { path: 'requests/new', element: signedIn(<NewItemPage />) },
      { path: 'requests/:id', element: signedIn(<ItemPage />) },
      { path: 'suggestions', element: <SuggestionsPage /> },
      { path: 'suggestions/:id', element: <SuggestionPage /> },
      { path: 'help', element: <HelpPage /> },
      { path: 'help/:id', element: <ArticlePage /> },
      { path: 'looking-for', element: signedIn(<IntentsPage />) },
      { path: 'my-data', element: signedIn(<MyDataPage />) },
      { path: 'terms', element: signedIn(<TermsPage />) },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
