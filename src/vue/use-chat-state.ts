import { computed, type Ref, shallowRef } from 'vue';
import type { ChatState, Identity } from '../index';
import { useChatApi, whileMounted } from './context';

/**
 * What {@link useChatState} returns: read-only refs, updated from the chat's events while the
 * component is mounted.
 *
 * @example
 * ```ts
 * const { state, identity, loaded }: ChatStateRefs = useChatState();
 * ```
 */
export interface ChatStateRefs {
  /** Where the chat is: `anonymous`, `authenticating`, `authenticated`, `logged-out` or `destroyed`. */
  readonly state: Readonly<Ref<ChatState>>;
  /** The identified visitor while `authenticated`, else null; a new object only for a new email. */
  readonly identity: Readonly<Ref<Readonly<Identity> | null>>;
  /** Whether HubSpot's widget is on the page. */
  readonly loaded: Readonly<Ref<boolean>>;
}

/**
 * The chat's state, identity and whether HubSpot's widget has loaded, as refs that follow the
 * chat's `state` and `loaded` events until the component unmounts. Server rendering and hydration
 * see `anonymous`, `null` and `false`, so they agree; the real values follow as soon as the
 * component is mounted (before the browser paints).
 *
 * @example
 * ```ts
 * const Greeting = defineComponent(() => {
 *   const { state, identity } = useChatState();
 *   return () =>
 *     h('p', state.value === 'authenticated' ? `Chatting as ${identity.value?.email}` : 'Chatting anonymously');
 * });
 * ```
 */
export function useChatState(): ChatStateRefs {
  const { chat } = useChatApi();
  const state = shallowRef<ChatState>('anonymous');
  const loaded = shallowRef(false);
  whileMounted(chat, ['state', 'loaded'], () => {
    state.value = chat.state;
    loaded.value = chat.loaded;
  });
  // A new identity comes with a new state (a switch passes through `authenticating`, and a renewed
  // token for the same visitor changes neither), so this is a new object only for a new visitor.
  const identity = computed(() => (state.value === 'authenticated' ? chat.identity : null));
  return { state, identity, loaded };
}
