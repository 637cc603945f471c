// The parts of HubSpot's browser API the SDK touches — hubspot-api.md §2–4.

/** HubSpot's widget events, with their payloads — hubspot-api.md §4 "Events". */
export interface WidgetEvents {
  widgetLoaded: { message: string };
  conversationStarted: { conversation: { conversationId: number } };
  conversationClosed: { conversation: { conversationId: number } };
  userSelectedThread: { conversation: { conversationId: number } };
  unreadConversationCountChanged: { unreadCount: number };
  contactAssociated: { message: string };
  userInteractedWithWidget: { message: string };
  widgetClosed: { message: string };
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
    refresh(options?: { openToNewThread?: boolean }): void;
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
}

/** `window`, seen as HubSpot's globals. */
export const hubspotWindow = (): HubSpotWindow => window as unknown as HubSpotWindow;
