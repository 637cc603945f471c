import { useEffect } from 'react';
import { type LauncherOptions, mountLauncher } from '../index';
import { useChatApi } from './context';

/**
 * Props of {@link ChatLauncher}: `mountLauncher`'s options but `busyMs` (its default, 15 s, the
 * default `readyTimeoutMs`, applies: call `mountLauncher` yourself to change it).
 *
 * @example
 * ```tsx
 * const props: ChatLauncherProps = { position: 'left', label: 'Ask us anything' };
 * ```
 */
export type ChatLauncherProps = Omit<LauncherOptions, 'busyMs'>;

/**
 * `mountLauncher` as a component: a light chat button in a bottom corner while HubSpot's widget is
 * not loaded (with `load: loadOnInteraction`, before the first interaction, or without consent;
 * not while the chat is hidden, nor once a click showed that nobody may see a widget or HubSpot's
 * targeting took the widget away on a page view). A click opens the chat, loading HubSpot now. It
 * renders nothing itself (the button lives in `document.body`, so it neither shifts the layout nor affects hydration) and goes away
 * on unmount.
 *
 * @example
 * ```tsx
 * <HubSpotChatProvider portalId="1234567" tokenUrl="/api/chat-token" load={loadOnInteraction}>
 *   <ChatLauncher position="left" />
 *   <App />
 * </HubSpotChatProvider>
 * ```
 */
export function ChatLauncher({ position, color, label, zIndex }: ChatLauncherProps): null {
  const { chat } = useChatApi();
  useEffect(
    () => mountLauncher(chat, { position, color, label, zIndex }),
    [chat, position, color, label, zIndex],
  );
  return null;
}
