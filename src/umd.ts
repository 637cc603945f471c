// The `<script>` entry: `window.HubSpotVisitorChat.createChat` and `.ChatError`. `mountLauncher`
// comes in its own file, `hubspot-visitor-chat.launcher.umd.min.js` (src/umd-launcher.ts), so that
// pages without the launcher do not download it (docs/decisions.md §29).
export { createChat } from './create-chat';
export { ChatError } from './errors';
