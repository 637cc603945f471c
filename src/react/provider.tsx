import { type ReactElement, type ReactNode, useEffect, useRef } from 'react';
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
import { ChatContext, chatApi } from './context';

/** What the provider does besides creating the chat; the same with `chat={existing}`. */
export interface ProviderControls {
  /**
   * Who is signed in, as a change key: `undefined` leaves the identity alone; a new string calls
   * `login({ fresh: true })` (the string only says *that* someone else signed in: the token endpoint
   * decides who), which never shares a token request in flight (the previous visitor's login, or a
   * refresh of their token), so the previous visitor's token is never reused; `false` after a
   * string calls `logout()`. A failed login is not retried until the key changes, consent is
   * granted anew or a provider mounts again; when the login for a new key fails, a visitor identified under the previous key
   * is logged out, never left on the widget. The key a chat was last logged in with is
   * remembered per chat: a provider mounted again over `chat={existing}`, authenticated with the
   * same key, asks for no new token.
   * After the chat logged itself out (`logout` with `'expired'` or `'refused'`) while the key is
   * still the one it logged in with, the provider logs it in again (docs/decisions.md §30).
   */
  signedIn?: string | false | undefined;
  /**
   * The visitor's consent to HubSpot's cookies, mirrored to `setConsent` whenever the chat's
   * differs (`chat={existing}` too, so that nothing of HubSpot's loads on a `<ChatLauncher>` click
   * while it is `'pending'`). While it is `'pending'` the provider neither starts the chat nor logs
   * in; what waited runs once it is `'granted'`. A chat the provider creates is created with it.
   */
  consent?: Consent | undefined;
  /**
   * Every error the chat emits, and a failure of a login or logout the provider made, while the
   * provider is mounted: never after its unmount.
   */
  onError?: ((error: ChatError) => void) | undefined;
  children?: ReactNode;
}

/** `ChatOptions` as props: read once, at mount. */
export type OptionProps = Omit<ChatBaseOptions, 'consent'> &
  (TokenUrlSource | FetchTokenSource) & { chat?: undefined };

/** Every option's name, to forbid them beside `chat`. */
type OptionName = keyof ChatBaseOptions | 'tokenUrl' | 'tokenRequest' | 'fetchToken';

/**
 * A chat made elsewhere: the provider starts it and never destroys it. Read once, at mount, like
 * the options: a different `chat` on a later render is ignored (with a `console.warn`); to use
 * another chat, give the provider a new `key`.
 */
export type ExistingChatProps = { chat: Chat } & {
  [K in Exclude<OptionName, 'consent'>]?: undefined;
};

/**
 * Props of {@link HubSpotChatProvider}: the options of `createChat` (read once, at mount), or
 * `chat={existing}`; plus `signedIn`, `consent`, `onError` and `children`.
 *
 * @example
 * ```tsx
 * const props: HubSpotChatProviderProps = { portalId: '1234567', tokenUrl: '/api/chat-token', signedIn: false };
 * ```
 */
export type HubSpotChatProviderProps = (OptionProps | ExistingChatProps) & ProviderControls;

/**
 * Hands errors to the latest `onError`, each once (a failed login is both emitted and rejected
 * with); `onError` is set while the provider is mounted, and unset at unmount.
 */
function errorSink() {
  const seen = new WeakSet<ChatError>();
  const sink = {
    onError: undefined as ProviderControls['onError'],
    /** The SDK rejects with and emits nothing but ChatErrors (errors.ts). */
    report(error: ChatError): void {
      if (seen.has(error)) return;
      seen.add(error);
      sink.onError?.(error);
    },
  };
  return sink;
}

/**
 * The `signedIn` key each chat was last asked to log in with, by whichever provider: a provider
 * mounted again over the same `chat={existing}` (a route-level provider, say) then knows that the
 * chat is already logged in for that key.
 */
const loginKeys = new WeakMap<Chat, string>();

/** The provider's chat (made from the props, or theirs), its API object and its error sink. */
function create(props: HubSpotChatProviderProps) {
  const errors = errorSink();
  if (props.chat) return { api: chatApi(props.chat), owned: false, errors };
  // `consent` stays among the options: the chat is created with it.
  const { signedIn: _s, onError: _e, children: _k, chat: _x, ...options } = props;
  const chat = createChat(options as ChatOptions);
  return { api: chatApi(chat), owned: true, errors };
}

/**
 * Gives its children one HubSpot chat. Creates it during its first render (creating is pure, so
 * server rendering is safe; a render React discards, such as StrictMode's second render of the
 * first mount, may create a second chat that is never started, which costs nothing), starts it in
 * an effect, and destroys it one macrotask after unmount — a re-mount in between (StrictMode)
 * keeps it, so the page gets one loader, one token request and one widget load. The options and
 * `chat` are read once, at mount: to change them, give the provider a new `key`. Keeps the
 * visitor's identity in step with `signedIn` and consent with `consent`. Its context value never
 * changes, so it re-renders no consumer; read the state with {@link useChatState}. `dist/react`
 * starts with `'use client'`: a Next.js Server Component may render it with serialisable props
 * (`tokenUrl`, not `fetchToken`).
 *
 * @example
 * ```tsx
 * <HubSpotChatProvider portalId="1234567" tokenUrl="/api/chat-token" signedIn={user ? user.id : false}>
 *   <App />
 * </HubSpotChatProvider>
 * ```
 */
export function HubSpotChatProvider(props: HubSpotChatProviderProps): ReactElement {
  const { signedIn, consent, onError, children, chat: given } = props;
  // Created once per mounted provider, on its first render: a ref, not a useState initializer,
  // which StrictMode calls twice.
  const created = useRef<ReturnType<typeof create>>(null);
  created.current ??= create(props);
  const { api, owned, errors } = created.current;
  const { chat } = api;
  const { report } = errors;
  /** While consent is undecided the provider starts nothing and logs nobody in, whoever made the chat. */
  const held = consent === 'pending';
  // Set after every commit (the cleanup runs first) and unset at unmount, StrictMode's too: nothing
  // reaches onError after unmount, not even the failure of a login the provider started.
  useEffect(() => {
    errors.onError = onError;
    return () => {
      errors.onError = undefined;
    };
  });
  const destroyTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  // Listening only for an onError: with none, the chat itself warns in the console.
  const listens = !!onError;
  useEffect(() => (listens ? chat.on('error', report) : undefined), [chat, report, listens]);

  useEffect(() => {
    if (given && given !== chat) {
      console.warn(
        'hubspot-visitor-chat: `chat` is read once, at mount (give the provider a new key)',
      );
    }
  }, [given, chat]);

  useEffect(() => {
    // Whenever the chat does not have it: 'pending' holds open() and login() in the chat itself.
    if (consent && chat.consent !== consent) chat.setConsent(consent).catch(report);
  }, [chat, consent, report]);

  /** Logs in for `signedIn`; a later login, logout or destroy, or consent refused, is no failure. */
  const logIn = (fresh: boolean) => {
    void chat.login({ fresh }).catch((error: ChatError) => {
      if (!/^(ABORTED|CONSENT_DENIED|DESTROYED)$/.test(error.code)) report(error);
    });
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: logIn is made anew each render from `chat` and `report`.
  useEffect(
    () =>
      // The chat logged itself out (its token expired, or the endpoint refused a refresh) while the
      // app still names the key it logged in with: in again — docs/decisions.md §30.
      chat.on('logout', (reason) => {
        if (/^(expired|refused)$/.test(reason) && signedIn && signedIn === loginKeys.get(chat)) {
          logIn(false);
        }
      }),
    [chat, signedIn, report],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: `consent` re-runs it on every change (after a revocation, a new grant logs in again).
  useEffect(() => {
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
      // token); the same key (a re-mount while its login is on the way) is skipped above.
      logIn(signedIn !== last);
    }
  }, [chat, signedIn, consent, held, report]);

  useEffect(() => {
    clearTimeout(destroyTimer.current);
    if (!held) chat.start().catch(report);
    return () => {
      // Deferred: StrictMode's simulated unmount is followed by a re-mount, which cancels it (and
      // so does the re-run when `held` changes: cleanup and setup run in the same commit).
      if (owned) destroyTimer.current = setTimeout(() => chat.destroy(), 0);
    };
  }, [chat, owned, held, report]);

  return <ChatContext.Provider value={api}>{children}</ChatContext.Provider>;
}
