// Every event the chat emits, written to the log. The list itself is not a live region: a summary
// (ChatStatus) announces what changed, instead of every line.
import type { ChatEvents } from 'hubspot-visitor-chat';
import { useChatEvent } from 'hubspot-visitor-chat/react';
import type { LogEntry } from '../log';
import { useLog } from '../log';

/** The events the log shows (errors come through the provider's `onError`). */
const EVENTS = [
  'state',
  'login',
  'logout',
  'tokenRefresh',
  'consent',
  'loaded',
  'unreadCount',
  'widgetLoaded',
  'conversationStarted',
  'conversationClosed',
  'userSelectedThread',
  'unreadConversationCountChanged',
  'contactAssociated',
  'userInteractedWithWidget',
  'widgetClosed',
  'quickReplyButtonClick',
] as const satisfies ReadonlyArray<keyof ChatEvents>;

/** Writes one event to the log; one component per event, so that each has its own hook. */
function Tap<E extends (typeof EVENTS)[number]>({ name }: { name: E }) {
  const log = useLog();
  const listener = (...args: unknown[]) => {
    if (name === 'state') log(name, `${args[1]} → ${args[0]}`);
    else log(name, args[0]);
  };
  useChatEvent(name, listener as ChatEvents[E]);
  return null;
}

export function ChatEventTaps() {
  return (
    <>
      {EVENTS.map((name) => (
        <Tap key={name} name={name} />
      ))}
    </>
  );
}

export function EventLog({ entries }: { entries: LogEntry[] }) {
  return (
    <section className="card" aria-labelledby="log-title">
      <h2 id="log-title">Event log</h2>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: it scrolls; keyboard users must reach it (axe scrollable-region-focusable). */}
      <ul id="log" tabIndex={0} aria-labelledby="log-title">
        {entries.map((entry) => (
          <li key={entry.id} className={entry.kind} data-event={entry.name}>
            <time>{entry.time}</time>
            <span className="name">{entry.name}</span>
            {entry.detail && ` ${entry.detail}`}
          </li>
        ))}
      </ul>
    </section>
  );
}
