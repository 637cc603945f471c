import { defineComponent, watchPostEffect } from 'vue';
import { type LauncherOptions, mountLauncher } from '../index';
import { useChatApi } from './context';

/**
 * Props of {@link ChatLauncher}: `mountLauncher`'s options but `busyMs` (its default, 15 s, the
 * default `readyTimeoutMs`, applies: call `mountLauncher` yourself to change it).
 *
 * @example
 * ```ts
 * const props: ChatLauncherProps = { position: 'left', label: 'Ask us anything' };
 * ```
 */
export type ChatLauncherProps = Omit<LauncherOptions, 'busyMs'>;

/**
 * `mountLauncher` as a component: a light chat button in a bottom corner while HubSpot's widget is
 * not loaded (with `load: loadOnInteraction`, before the first interaction, or without consent;
 * not while the chat is hidden, nor once a click showed that nobody may see a widget or HubSpot's
 * targeting took the widget away on a page view). A click opens the chat, loading HubSpot now. It
 * renders nothing itself (the button lives in `document.body`, so it neither shifts the layout nor
 * affects hydration), is mounted again when a prop changes, and goes away on unmount.
 *
 * @example
 * ```ts
 * const Launcher = () => h(ChatLauncher, { position: 'left', label: 'Ask us anything' });
 * ```
 */
export const ChatLauncher = defineComponent(
  (props: ChatLauncherProps) => {
    const { chat } = useChatApi();
    // After mount (never on the server); again, after unmounting the previous button, when a prop
    // changes; unmounted with the component.
    watchPostEffect((onCleanup) => onCleanup(mountLauncher(chat, props)));
    return () => null;
  },
  { name: 'ChatLauncher', props: ['position', 'color', 'label', 'zIndex'] },
);
