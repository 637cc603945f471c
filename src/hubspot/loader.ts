/** The id of HubSpot's loader script, as its embed code has it. */
export const LOADER_ID = 'hs-script-loader';

/**
 * Inserts HubSpot's loader script once per page: not again for a second chat, nor when the page
 * already has `#hs-script-loader` (docs/decisions.md §10). Calls `onError` if the script fails to load
 * (404, blocked by an ad blocker or CSP).
 */
export function insertLoader(src: string, nonce: string | undefined, onError: () => void): void {
  if (document.getElementById(LOADER_ID)) return;
  const script = document.createElement('script');
  script.id = LOADER_ID;
  script.src = src;
  // HubSpot's embed code also says `defer`, which does nothing on a script that a script inserts
  // (HTML defers parser-inserted scripts only).
  script.async = true;
  if (nonce) script.nonce = nonce;
  script.addEventListener('error', onError);
  document.head.appendChild(script);
}
