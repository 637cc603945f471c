import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { SESSION_COOKIE, sessionEmail } from '../lib/session';
import { ChatPageViews } from './chat-page-views';
import { ChatProvider } from './chat-provider';
import { ChatStatus } from './chat-status';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'hubspot-visitor-chat · Next.js example' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Read on every request (the session cookie makes the page dynamic): one build runs offline or
  // against a HubSpot portal, whichever the server's environment says.
  const email = sessionEmail((await cookies()).get(SESSION_COOKIE)?.value);
  const portalId = process.env.HUBSPOT_PORTAL_ID ?? null;
  return (
    <html lang="en">
      <body>
        <ChatProvider portalId={portalId} email={email}>
          <ChatPageViews />
          <header>
            <nav>
              <Link href="/">Home</Link> · <Link href="/pricing">Pricing</Link>
            </nav>
            <SignInForm email={email} />
          </header>
          <main>
            {children}
            <ChatStatus />
          </main>
        </ChatProvider>
      </body>
    </html>
  );
}
