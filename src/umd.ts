// The `<script>` entry: `window.HubSpotVisitorChat.createChat`, `.ChatError` and the `load`
// triggers `.loadWhenIdle` and `.loadOnInteraction`. `mountLauncher`
// comes in its own file, `hubspot-visitor-chat.launcher.umd.min.js` (src/umd-launcher.ts), so that
// pages without the launcher do not download it (docs/decisions.md §29).
export { createChat } from './create-chat';
export { ChatError } from './errors';
export { loadOnInteraction, loadWhenIdle } from './page/load-trigger';
