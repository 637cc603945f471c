import type { Chat } from '../chat';

/** Options of {@link mountLauncher}. */
export interface LauncherOptions {
  /** Which bottom corner; default `'right'`. */
  position?: 'left' | 'right' | undefined;
  /** Background colour (any CSS colour); default `#2d3e50`, with a white icon (contrast 11:1). */
  color?: string | undefined;
  /** The button's accessible name; default `'Chat with us'`. */
  label?: string | undefined;
  /** CSS `z-index`; default `2147483000`, just under HubSpot's own widget. */
  zIndex?: number | undefined;
  /**
   * How long a click shows the button busy (`aria-busy`, a `progress` cursor) at most, in ms;
   * default `15000`, the chat's default `readyTimeoutMs`. It ends earlier when the widget loads or
   * an `error` comes, but HubSpot may also decide to show no widget on this page (its targeting),
   * and then no event says so.
   */
  busyMs?: number | undefined;
}

const SVG = 'http://www.w3.org/2000/svg';

/**
 * How long the button waits, once the widget has gone, before it comes back (restarted by every
 * event heard meanwhile). A widget reset (a login, a switch to another visitor, a logout) removes
 * HubSpot's widget and loads the next one a moment later (`loaded` false, then true): the button
 * must not flash in between.
 */
const GRACE_MS = 1000;

/**
 * The chats whose loaded widget HubSpot's targeting took away, with who the chat was then (as
 * `as()` says): no widget comes until it loads again, or the chat's state, visitor or consent
 * changes. Kept beside the chat, so that a launcher mounted again (a prop change) knows it too.
 */
const targetedAway = new WeakMap<Chat, string>();
/** Who the chat is: its state and its visitor. */
const who = (chat: Chat) => `${chat.state} ${chat.identity?.email}`;

/** How often `hidden` is looked at while the chat is hidden: no event says show(). */
const LOOK_MS = 250;

/** A speech bubble, drawn inline: no emoji (missing glyphs on some systems), no image request. */
function icon(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  const path = document.createElementNS(SVG, 'path');
  for (const [name, value] of [
    ['viewBox', '0 0 24 24'],
    ['width', '28'],
    ['height', '28'],
    ['aria-hidden', 'true'],
    ['focusable', 'false'],
  ] as const) {
    svg.setAttribute(name, value);
  }
  path.setAttribute('fill', 'currentColor');
  path.setAttribute(
    'd',
    'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z',
  );
  svg.append(path);
  return svg;
}

/**
 * Shows a light stand-in for HubSpot's chat button while the real widget is not loaded (with
 * `load: loadOnInteraction`, before the first visitor interaction, or without consent): a real
 * `<button>` in a bottom corner, keyboard-operable, with a visible focus ring, styled through the
 * CSSOM only, so that a strict CSP needs no `'unsafe-inline'`. A click calls
 * `chat.open()`; while HubSpot loads the button is `aria-busy` (for `busyMs` at most). It removes
 * itself when the widget has loaded and comes back a second after the widget is removed (not
 * during a widget reset, when the next widget follows at once). There is no button while the chat
 * is hidden (`hide()`); after a click answered `openBlocked: 'anonymous'`, none until the chat's
 * state next changes; once HubSpot's targeting took the loaded widget away (a page view to a page
 * without a chatflow), none until the widget comes back, or the chat is in another state, with
 * another visitor, or consent changes or a logout resets the widget (a launcher mounted again
 * knows it too). The chat emits no event on
 * `hide()` or `show()`: the launcher reads `chat.hidden` at each event it hears and at a click (so
 * it sees a `hide()` made before HubSpot loaded at the next click), and four times a second while
 * the chat is hidden (so it sees a `show()` at once). Returns the function that unmounts it.
 *
 * @example
 * ```ts
 * const chat = createChat({ portalId: '1234567', tokenUrl: '/api/chat-token', load: loadOnInteraction });
 * const unmount = mountLauncher(chat, { position: 'left', label: 'Ask us anything' });
 * chat.start();
 * ```
 */
export function mountLauncher(chat: Chat, options: LauncherOptions = {}): () => void {
  const {
    position = 'right',
    color = '#2d3e50',
    label = 'Chat with us',
    zIndex = 2147483000,
    busyMs = 15000,
  } = options;
  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-label', label);
  button.append(icon());
  const { style } = button;
  Object.assign(style, {
    position: 'fixed',
    bottom: '20px',
    [position]: '20px',
    zIndex: String(zIndex),
    width: '60px',
    height: '60px',
    borderRadius: '50%',
    border: '0',
    padding: '0',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    background: color,
    color: '#fff',
    cursor: 'pointer',
    boxShadow: '0 2px 10px rgba(0,0,0,.3)',
  });
  const focusRing = (on: boolean) => {
    style.outline = on ? `3px solid ${color}` : '';
    style.outlineOffset = on ? '3px' : '';
  };
  const onFocus = () => focusRing(true);
  const onBlur = () => focusRing(false);
  let busy: ReturnType<typeof setTimeout> | undefined;
  const idle = () => {
    clearTimeout(busy);
    button.removeAttribute('aria-busy');
    style.cursor = 'pointer';
  };
  const onClick = () => {
    // Busy only while HubSpot can really come: not hidden, not without consent.
    if (!chat.hidden && chat.consent === 'granted') {
      button.setAttribute('aria-busy', 'true');
      style.cursor = 'progress';
      clearTimeout(busy);
      busy = setTimeout(idle, busyMs);
    }
    chat.open();
  };
  button.addEventListener('focus', onFocus);
  button.addEventListener('blur', onBlur);
  button.addEventListener('click', onClick);

  // The button's wait to come back (GRACE_MS), restarted by every event heard meanwhile.
  let grace: ReturnType<typeof setTimeout> | undefined;
  // An open() (a click) was answered `openBlocked: 'anonymous'`: no widget until the next state.
  let away = false;
  // Who the chat was (state and visitor) when its widget last loaded; undefined once a reset is due
  // (a logout or a consent change: those reset the widget whoever the visitor is).
  let loadedAs = chat.loaded ? who(chat) : undefined;
  // No event says hide() or show(): `hidden` is read again at every event listened to, and looked
  // at while it is true.
  let looking: ReturnType<typeof setInterval> | undefined;
  const gone = () =>
    chat.loaded ||
    chat.state === 'destroyed' ||
    chat.hidden ||
    away ||
    targetedAway.get(chat) === who(chat);
  const show = () => {
    if (!gone()) document.body.append(button);
  };
  const sync = () => {
    clearTimeout(grace);
    clearInterval(looking);
    looking = undefined;
    if (chat.hidden && chat.state !== 'destroyed') {
      looking = setInterval(() => {
        if (!chat.hidden) sync();
      }, LOOK_MS);
    }
    if (gone()) {
      button.remove();
      idle();
    } else if (!button.isConnected) {
      grace = setTimeout(show, GRACE_MS);
    }
  };
  /** A logout or a consent change resets the widget, whoever the visitor is: no targeting. */
  const resets = () => {
    loadedAs = undefined;
    targetedAway.delete(chat);
    sync();
  };
  const unbind = [
    chat.on('loaded', (loaded) => {
      // Gone while the chat is who it was when it loaded, and not by hide(): HubSpot's targeting
      // took it away. A login, a switch or an expiry changes who the chat is before its reset.
      if (!loaded && loadedAs === who(chat) && !chat.hidden) targetedAway.set(chat, who(chat));
      if (loaded) targetedAway.delete(chat);
      loadedAs = loaded ? who(chat) : undefined;
      sync();
    }),
    chat.on('state', () => {
      away = false;
      sync();
    }),
    chat.on('logout', resets),
    chat.on('consent', resets),
    chat.on('openBlocked', (reason) => {
      away ||= reason === 'anonymous';
      sync();
    }),
    // HubSpot did not come (blocked, unavailable): the button is usable again.
    chat.on('error', () => {
      idle();
      sync();
    }),
  ];
  show(); // at once the first time
  if (chat.hidden) sync();
  return () => {
    for (const off of unbind) off();
    idle();
    clearTimeout(grace);
    clearInterval(looking);
    button.removeEventListener('focus', onFocus);
    button.removeEventListener('blur', onBlur);
    button.removeEventListener('click', onClick);
    button.remove();
  };
}
