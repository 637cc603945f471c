import { useEffect } from 'react';
import { type LauncherOptions, mountLauncher } from '../index';
import { useChatApi } from './context';

/**
 * Props of {@link ChatLauncher}: `mountLauncher`'s options.
 *
 * @example
 * ```tsx
 * const props: ChatLauncherProps = { position: 'left', label: 'Ask us anything' };
 * ```
 */
export type ChatLauncherProps = LauncherOptions;

/**
 * `mountLauncher` as a component: a light chat button in a bottom corner while HubSpot's widget is
 * not loaded (with `load: loadOnInteraction`, before the first interaction; while hidden or without
 * consent). A click opens the chat, loading HubSpot now. It renders nothing itself (the button
 * lives in `document.body`, so it neither shifts the layout nor affects hydration) and goes away
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
