// What the demo reads from its URL (switches that need a fresh page, as a site's config would) and
// where it keeps the visitor's consent decision.
import type { Consent } from 'hubspot-visitor-chat';

export type LoadMode = 'immediate' | 'interaction';

/** The demo's page-level settings; changing one reloads the page (the provider reads options once). */
export interface DemoSettings {
  /** `?load=interaction`: HubSpot loads on the first interaction; a launcher stands in until then. */
  load: LoadMode;
  /** `?consent=ask`: nothing of HubSpot's loads before the visitor answers the banner. */
  askConsent: boolean;
  /** `?debug`: the SDK logs its transitions to the console. */
  debug: boolean;
  /** `?timeoutMs=`: how long one token request may take. */
  timeoutMs: number;
  /** `?readyTimeoutMs=`: how long to wait for HubSpot's API. */
  readyTimeoutMs: number;
}

export function readSettings(search: string): DemoSettings {
  const params = new URLSearchParams(search);
  const number = (name: string, fallback: number) => {
    const value = Number(params.get(name) ?? fallback);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    load: params.get('load') === 'interaction' ? 'interaction' : 'immediate',
    askConsent: params.get('consent') === 'ask',
    debug: params.has('debug'),
    timeoutMs: number('timeoutMs', 10_000),
    readyTimeoutMs: number('readyTimeoutMs', 15_000),
  };
}

/** The current URL with one query parameter set (or removed, for `null`). */
export function urlWith(name: string, value: string | null): string {
  const url = new URL(location.href);
  if (value === null) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  return url.pathname + url.search;
}

const CONSENT_KEY = 'acme-consent';

/**
 * The visitor's consent at page load: the answer given earlier on this site, else `pending` when the
 * site asks first (`?consent=ask`), else `granted` (the demo's default, as if answered long ago).
 * Kept in localStorage, not in a cookie: before consent, the page sets no cookie at all.
 */
export function initialConsent(settings: DemoSettings): Consent {
  const stored = localStorage.getItem(CONSENT_KEY);
  if (stored === 'granted' || stored === 'denied') return stored;
  return settings.askConsent ? 'pending' : 'granted';
}

export function storeConsent(consent: 'granted' | 'denied' | null): void {
  if (consent) localStorage.setItem(CONSENT_KEY, consent);
  else localStorage.removeItem(CONSENT_KEY);
}
