// The launcher's `<script>` entry, `hubspot-visitor-chat.launcher.umd.min.js` (docs/decisions.md §29): it adds
// `mountLauncher` to the global `HubSpotVisitorChat` that the main UMD file defines, so load it
// after that file. Loaded alone, it defines `HubSpotVisitorChat` with `mountLauncher` only (which
// works with any `Chat`); a main UMD file loaded after it replaces that global.
export { mountLauncher } from './page/launcher';
