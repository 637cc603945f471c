import {
  camelize,
  defineComponent,
  onMounted,
  onUnmounted,
  provide,
  watch,
  watchPostEffect,
} from 'vue';
import {
  type Chat,
  type ChatBaseOptions,
  type ChatError,
  type ChatOptions,
  type Consent,
  createChat,
  type FetchTokenSource,
  type TokenUrlSource,
} from '../index';
import { chatApi, chatKey } from './context';

/** What the provider does besides creating the chat; the same with `chat` given. */
export interface ProviderControls {
  /**
   * Who is signed in, as a change key: `undefined` leaves the identity alone; a new string calls
   * `login({ fresh: true })` (the string only says *that* someone else signed in: the token endpoint
   * decides who), so the previous visitor's token request is never shared; `false` after a string
   * calls `logout()`. A failed login is not retried until the key changes, consent is granted anew
   * or a provider mounts again; when the login for a new key fails, a visitor identified under the
   * previous key is logged out, never left on the widget. The key a chat was last logged in with is
   * remembered per chat: a provider mounted again over the same `chat`, authenticated with the same
   * key, asks for no new token.
   * After the chat logged itself out (`logout` with `'expired'` or `'refused'`) while the key is
   * still the one it logged in with, the provider logs it in again (docs/decisions.md §30).
   */
  signedIn?: string | false | undefined;
  /**
   * The visitor's consent to HubSpot's cookies, mirrored to `setConsent` whenever the chat's
   * differs (`chat` given too, so that nothing of HubSpot's loads on a `<ChatLauncher>` click while
   * it is `'pending'`). While it is `'pending'` the provider neither starts the chat nor logs in;
   * what waited runs once it is `'granted'`. A chat the provider creates is created with it.
   */
  consent?: Consent | undefined;
  /**
   * Every error the chat emits, and a failure of a login or logout the provider made, while the
   * provider is mounted: never after its unmount. In a template, `@error="…"`.
   */
  onError?: ((error: ChatError) => void) | undefined;
}

/** `ChatOptions` as props: read once, at mount. */
export type OptionProps = Omit<ChatBaseOptions, 'consent'> &
  (TokenUrlSource | FetchTokenSource) & { chat?: undefined };

/** Every option's name, to forbid them beside `chat`. */
type OptionName = keyof ChatBaseOptions | 'tokenUrl' | 'tokenRequest' | 'fetchToken';

/**
 * A chat made elsewhere (say, `createHubSpotChat(…).chat`): the provider starts it and never
 * destroys it. Read once, at mount, like the options: a different `chat` later is ignored; to use
 * another chat, give the provider a new `key`.
 */
export type ExistingChatProps = { chat: Chat } & {
  [K in Exclude<OptionName, 'consent'>]?: undefined;
};

/**
 * Props of {@link HubSpotChatProvider}: the options of `createChat` (read once, at mount), or
 * `chat`; plus `signedIn`, `consent` and `onError`.
 *
 * @example
 * ```ts
 * const props: HubSpotChatProviderProps = { portalId: '1234567', tokenUrl: '/api/chat-token', signedIn: false };
 * ```
 */
export type HubSpotChatProviderProps = (OptionProps | ExistingChatProps) & ProviderControls;

/**
 * Absent stays `undefined` (Vue would make it `false`), so that createChat's default applies; a
 * bare attribute is `true`. (`debug` also takes a function; createChat checks the others' type.)
 */
const flag = { type: [Boolean, Function], default: undefined };

/** The options whose value may be `true` or `false`: Vue must cast a bare attribute to `true`. */
type FlagName = {
  [K in keyof ChatBaseOptions]-?: boolean extends ChatBaseOptions[K] ? K : never;
}[keyof ChatBaseOptions];

/**
 * The declared props: the controls, `chat`, and every option that takes a boolean (so that a bare
 * `sync-tabs` in a template means `true`); `satisfies` fails the build when an option of that kind
 * is added to createChat without its prop. The other options arrive as attributes: createChat
 * validates them (its TypeErrors name the option).
 */
const PROPS = {
  showAnonymous: flag,
  syncTabs: flag,
  debug: flag,
  trackPageViews: flag,
  chat: null,
  signedIn: { type: [String, Boolean], default: undefined },
  consent: null,
  onError: null,
} satisfies Record<FlagName | 'chat' | keyof ProviderControls, unknown>;

/**
 * The `signedIn` key each chat was last asked to log in with, by whichever provider: a provider
 * mounted again over the same `chat` (a route-level provider, say) then knows that the chat is
 * already logged in for that key.
 */
const loginKeys = new WeakMap<Chat, string>();

/**
 * The provider's chat: the one given, or one made from the options: the flags among the props
 * (when given), the others among the attributes, camelCased as props are (`portal-id` → `portalId`).
 */
function create(props: HubSpotChatProviderProps, attrs: Record<string, unknown>): Chat {
  if (props.chat) return props.chat;
  // An absent flag is undefined, which createChat reads as "not given" (src/options.ts).
  const {
    signedIn: _s,
    consent,
    onError: _e,
    chat: _c,
    ...options
  } = props as unknown as Record<string, unknown>;
  for (const key in attrs) options[camelize(key)] = attrs[key];
  return createChat({ ...options, consent } as unknown as ChatOptions);
}

/**
 * Gives its slot one HubSpot chat. Creates it in `setup` (creating is pure, so server rendering is
 * safe), starts it once mounted, and destroys it at unmount (a Vue component instance is never
 * mounted twice, so nothing is gained by waiting: a provider that replaces it, under a new `key`,
 * creates and starts its own chat). The options and `chat` are read once, at mount: to change
 * them, give the provider a new `key`. Keeps the visitor's identity in step with `signedIn` and
 * consent with `consent`. Provides one object for its lifetime, so it re-renders no consumer; read
 * the state with {@link useChatState}.
 *
 * @example
 * ```ts
 * const App = defineComponent(() => {
 *   const user = useCurrentUser();
 *   return () =>
 *     h(HubSpotChatProvider, { portalId: '1234567', tokenUrl: '/api/chat-token', signedIn: user.value?.id ?? false },
 *       () => h(RouterView));
 * });
 * ```
 */
export const HubSpotChatProvider = defineComponent(
  (props: HubSpotChatProviderProps, { attrs, slots }) => {
    const chat = create(props, attrs);
    const owned = chat !== props.chat;
    provide(chatKey, chatApi(chat));
    let mounted = false;
    /** Errors already handed on: a failed login is both emitted and rejected with. */
    const seen = new WeakSet<ChatError>();
    // Read at the time of the error, so the latest onError gets it; nothing reaches it after
    // unmount. The SDK rejects with and emits nothing but ChatErrors (src/errors.ts).
    const report = (error: ChatError) => {
      if (mounted && !seen.has(error)) props.onError?.(error);
      seen.add(error);
    };
    /** Whether the last sync found consent pending (undefined before the first). */
    let held: boolean | undefined;

    const sync = () => {
      const { signedIn, consent } = props;
      const wasHeld = held;
      held = consent === 'pending';
      // Whenever the chat does not have it: 'pending' holds open() and login() in the chat itself.
      if (consent && chat.consent !== consent) chat.setConsent(consent).catch(report);
      // Authenticating or authenticated (the only states that start so).
      const busy = chat.state.startsWith('au');
      /** The key this chat was last asked to log in with, by this provider or one before it. */
      const last = loginKeys.get(chat);
      if (signedIn === false) {
        // After a key (even one whose login failed or waits), or while someone is signed in.
        if (loginKeys.delete(chat) || busy) chat.logout().catch(report);
      } else if (
        signedIn !== undefined &&
        // Pending: the login waits for 'granted'. Denied: it would be refused; after a revocation
        // and a new grant this runs again and logs the visitor in again.
        !held &&
        chat.consent !== 'denied' &&
        // Asked for this very key already (and logged in, or on the way): nothing to ask again.
        !(signedIn === last && busy)
      ) {
        loginKeys.set(chat, signedIn);
        // A new key never shares a request in flight (the previous user's, or a refresh of their
        // token); the same key (a provider mounted again while its login is on the way) is skipped above.
        chat.login({ fresh: signedIn !== last }).catch((error: ChatError) => {
          // A later login, logout or destroy, or consent refused: not a failure.
          if (/^(ABORTED|CONSENT_DENIED|DESTROYED)$/.test(error.code)) return;
          report(error);
        });
      }
      if (!held && wasHeld !== false) chat.start().catch(report);
    };

    onMounted(() => {
      mounted = true;
      // Listening only while there is an onError: with none, the chat itself warns in the console.
      // Watched from here, never during server rendering (before Vue 3.5.12 a watcher made in
      // setup ran there once and was never stopped: the chat kept its listener).
      watchPostEffect((onCleanup) => props.onError && onCleanup(chat.on('error', report)));
      // The chat logged itself out (its token expired, or the endpoint refused a refresh) while the
      // app still names the key it logged in with: sync() logs in again — docs/decisions.md §30.
      watchPostEffect((onCleanup) =>
        onCleanup(
          chat.on('logout', (reason) => (reason === 'expired' || reason === 'refused') && sync()),
        ),
      );
      sync();
    });
    // Not during server rendering: props do not change there.
    // Runs when one of the two changed: they are all the getter reads.
    // Only once mounted: a provider that never mounts (a dropped <Suspense> branch) gets no
    // onUnmounted, so it must never have started anything.
    watch(
      () => [props.signedIn, props.consent],
      () => mounted && sync(),
    );
    onUnmounted(() => {
      mounted = false;
      if (owned) chat.destroy();
    });
    return () => slots.default?.();
  },
  { name: 'HubSpotChatProvider', props: PROPS as never, inheritAttrs: false },
);
