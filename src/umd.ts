// The `<script>` entry: `window.HubSpotVisitorChat.createChat` and `.ChatError`.
export { createChat } from './create-chat';
export { ChatError } from './errors';
