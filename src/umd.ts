// The `<script>` entry: `window.HubSpotVisitorChat.createChat`, `.mountLauncher` and `.ChatError`.
export { createChat } from './create-chat';
export { ChatError } from './errors';
export { mountLauncher } from './page/launcher';
