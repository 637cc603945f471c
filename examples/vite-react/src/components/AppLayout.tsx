import { useChatPageView } from 'hubspot-visitor-chat/react';
import { Link, Route, Routes, useLocation } from 'react-router';
import { HomePage } from '../pages/HomePage';
import { PricingPage } from '../pages/PricingPage';
import { ChatStatus } from './ChatStatus';
import { SignInForm } from './SignInForm';

export function AppLayout() {
  // HubSpot picks the chatflow from the URL: tell it about every route change.
  useChatPageView(useLocation().key);
  return (
    <>
      <header>
        <nav>
          <Link to="/">Home</Link> · <Link to="/pricing">Pricing</Link>
        </nav>
        <SignInForm />
      </header>
      <main>
        <Routes>
          <Route path="/" element={<HomePage />} />
          <Route path="/pricing" element={<PricingPage />} />
        </Routes>
        <ChatStatus />
      </main>
    </>
  );
}
