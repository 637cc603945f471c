// The parts of HubSpot's browser API the SDK touches — docs/hubspot.md §2–4.

/** HubSpot's widget events, with their payloads — docs/hubspot.md §4. */
export interface WidgetEvents {
  /** The widget's iframe has loaded (`message: 'widget has loaded'`). */
  widgetLoaded: { message: string };
  /** The visitor started a conversation; the id is the thread id of HubSpot's Conversations API. */
  conversationStarted: { conversation: { conversationId: number } };
  /** An agent closed the conversation in the inbox (not: the visitor closed the widget). */
  conversationClosed: { conversation: { conversationId: number } };
  /** A thread was created or selected. */
  userSelectedThread: { conversation: { conversationId: number } };
  /** The number of conversations with unread messages changed. */
  unreadConversationCountChanged: { unreadCount: number };
  /** HubSpot associated the visitor with a CRM contact. */
  contactAssociated: { message: string };
  /** The visitor interacted with the widget (opened it, closed the welcome message, …). */
  userInteractedWithWidget: { message: string };
  /** The visitor closed the widget. */
  widgetClosed: { message: string };
  /** The visitor clicked a bot's quick reply. */
  quickReplyButtonClick: { name: string; multiSelect: boolean; value: string[] };
}

export type WidgetEventName = keyof WidgetEvents;

export const WIDGET_EVENTS: WidgetEventName[] = [
  'widgetLoaded',
  'conversationStarted',
  'conversationClosed',
  'userSelectedThread',
  'unreadConversationCountChanged',
  'contactAssociated',
  'userInteractedWithWidget',
  'widgetClosed',
  'quickReplyButtonClick',
];

export type Listener = (payload: never) => void;

export interface HubSpotConversations {
  widget: {
    load(options?: { widgetOpen?: boolean }): void;
    refresh(options?: { openToNewThread?: boolean; setIdentification?: boolean }): void;
    open(): void;
    close(): void;
    remove(): void;
    status(): { loaded: boolean; pending?: boolean };
  };
  clear(options?: { resetWidget?: boolean }): void;
  on(event: string, listener: Listener): void;
  off(event: string, listener: Listener): void;
}

export interface HubSpotSettings {
  loadImmediately?: boolean;
  identificationEmail?: string;
  identificationToken?: string;
  [key: string]: unknown;
}

export interface HubSpotWindow {
  HubSpotConversations?: HubSpotConversations;
  hsConversationsSettings?: HubSpotSettings;
  hsConversationsOnReady?: Array<() => void>;
  /** HubSpot's singleton guard: true while a widget shell (instance) exists — docs/hubspot.md §1. */
  hubspot_live_messages_running?: boolean;
}

/** `window`, seen as HubSpot's globals. */
export const hubspotWindow = (): HubSpotWindow => window as unknown as HubSpotWindow;
