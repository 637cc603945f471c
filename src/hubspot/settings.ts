import type { WidgetSettings } from '../options';
import { type HubSpotSettings, hubspotWindow } from './types';

function settings(): HubSpotSettings {
  const w = hubspotWindow();
  // Keep the page's own object (and its other keys): HubSpot re-reads it on every call — docs/hubspot.md §2.
  w.hsConversationsSettings ??= {};
  return w.hsConversationsSettings;
}

/** Writes the SDK-owned keys and the pass-through ones; must run before the loader is inserted. */
export function writeSettings(widget: WidgetSettings): void {
  Object.assign(settings(), widget, { loadImmediately: false });
}

/**
 * Sets the identity the next widget instance captures (an email and a token), or removes it. Removed
 * keys are deleted, never set to `null`: HubSpot throws on a non-string — docs/hubspot.md §2.
 */
export function writeIdentity(
  identity: { email: string | null; token: string | null } | null,
): void {
  const target = settings();
  if (identity?.email && identity.token) {
    target.identificationEmail = identity.email;
    target.identificationToken = identity.token;
  } else {
    delete target.identificationEmail;
    delete target.identificationToken;
  }
}

/** Deletes the identity keys where they exist, without creating or touching anything else. */
export function removeIdentity(): void {
  const existing = hubspotWindow().hsConversationsSettings;
  if (existing && ('identificationEmail' in existing || 'identificationToken' in existing)) {
    writeIdentity(null);
  }
}
