import { type ReactElement, type ReactNode, useEffect, useInsertionEffect, useRef } from 'react';
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
   * `login()` (the string only says *that* someone else signed in: the token endpoint decides who);
   * `false` after a string calls `logout()`. A failed login is not retried until the key changes.
   */
  signedIn?: string | false;
  /**
   * The visitor's consent to HubSpot's cookies, mirrored to `setConsent`: `'granted'` → `true`,
   * `'denied'` → `false`, `'pending'` → nothing. At mount, `'pending'` and `'denied'` keep HubSpot
   * off the page (the chat is created with `consent: 'pending'`).
   */
  consent?: Consent;
  /** Every error the chat emits, and a failure of a login or logout the provider made. */
  onError?: (error: ChatError) => void;
  children?: ReactNode;
}

/** `ChatOptions` as props: read once, at mount. */
export type OptionProps = Omit<ChatBaseOptions, 'consent'> &
  (TokenUrlSource | FetchTokenSource) & { chat?: never };

/** Every option's name, to forbid them beside `chat`. */
type OptionName = keyof ChatBaseOptions | 'tokenUrl' | 'tokenRequest' | 'fetchToken';

/** A chat made elsewhere: the provider starts it and never destroys it. */
export type ExistingChatProps = { chat: Chat } & { [K in Exclude<OptionName, 'consent'>]?: never };

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

/** Hands errors to the latest `onError`, each once: a failed login is both emitted and rejected with. */
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

/** The provider's chat (made from the props, or theirs), its API object and its error sink. */
function create(props: HubSpotChatProviderProps) {
  const errors = errorSink();
  if (props.chat) return { api: chatApi(props.chat), owned: false, errors };
  const { signedIn: _s, consent, onError: _e, children: _k, chat: _x, ...options } = props;
  const initial = consent && (consent === 'granted' ? consent : 'pending');
  const chat = createChat({ ...options, consent: initial } as ChatOptions);
  return { api: chatApi(chat), owned: true, errors };
}

/**
 * Gives its children one HubSpot chat. Creates it once (creating is pure, so server rendering and
 * StrictMode's double render are safe), starts it in an effect, and destroys it one macrotask after
 * unmount — a re-mount in between (StrictMode) keeps it, so the page gets one loader, one token
 * request and one widget load. Keeps the visitor's identity in step with `signedIn` and consent
 * with `consent`. Its context value never changes, so it re-renders no consumer; read the state
 * with {@link useChatState}. `dist/react` starts with `'use client'`: a Next.js Server Component
 * may render it with serialisable props (`tokenUrl`, not `fetchToken`).
 *
 * @example
 * ```tsx
 * <HubSpotChatProvider portalId="1234567" tokenUrl="/api/chat-token" signedIn={user ? user.id : false}>
 *   <App />
 * </HubSpotChatProvider>
 * ```
 */
export function HubSpotChatProvider(props: HubSpotChatProviderProps): ReactElement {
  const { signedIn, consent, onError, children } = props;
  // Created once, on the first render: a ref, since StrictMode calls a useState initializer twice.
  const created = useRef<ReturnType<typeof create>>(null);
  created.current ??= create(props);
  const { api, owned, errors } = created.current;
  const { chat } = api;
  const { report } = errors;
  useInsertionEffect(() => {
    errors.onError = onError;
  });
  /** The `signedIn` key last acted on; kept across StrictMode's effect re-run. */
  const applied = useRef<string | false>(undefined);
  const destroyTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => chat.on('error', report), [chat, report]);

  useEffect(() => {
    if (
      consent === 'granted'
        ? chat.consent !== consent
        : consent === 'denied' && chat.consent !== consent
    ) {
      chat.setConsent(consent === 'granted').catch(report);
    }
  }, [chat, consent, report]);

  useEffect(() => {
    if (signedIn && (consent === 'denied' || chat.consent === 'denied')) {
      // A login now would be refused, and a revocation dropped the identity: log in again once
      // consent is back.
      applied.current = undefined;
      return;
    }
    const previous = applied.current;
    if (signedIn === undefined || signedIn === previous) return;
    applied.current = signedIn;
    const busy = chat.state === 'authenticating' || chat.state === 'authenticated';
    if (signedIn === false) {
      if (typeof previous === 'string' || busy) chat.logout().catch(report);
      return;
    }
    // A login in flight for the previous key would hand its token to this call: supersede it.
    if (typeof previous === 'string' && chat.state === 'authenticating')
      chat.logout().catch(report);
    chat.login().catch((error: ChatError) => {
      if (error.code === 'CONSENT_DENIED' && applied.current === signedIn)
        applied.current = undefined;
      if (error.code !== 'ABORTED' && error.code !== 'CONSENT_DENIED') report(error);
    });
  }, [chat, signedIn, consent, report]);

  useEffect(() => {
    clearTimeout(destroyTimer.current);
    chat.start().catch(report);
    return () => {
      // Deferred: StrictMode's simulated unmount is followed by a re-mount, which cancels it.
      if (owned) destroyTimer.current = setTimeout(() => chat.destroy(), 0);
    };
  }, [chat, owned, report]);

  return <ChatContext.Provider value={api}>{children}</ChatContext.Provider>;
}
