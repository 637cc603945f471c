'use client';
import { useChatPageView } from 'hubspot-visitor-chat/react';
import { usePathname } from 'next/navigation';

/** HubSpot picks the chatflow from the URL: tell it about every route change. */
export function ChatPageViews() {
  useChatPageView(usePathname());
  return null;
}
