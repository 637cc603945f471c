// The SPA: its own sign-in, and the SDK told about it. This is all an app writes.
import { createChat } from 'hubspot-visitor-chat';

const $ = (id) => document.getElementById(id);
const config = await (await fetch('/api/config')).json();

if (config.scriptUrl) {
  // Offline: the stand-in checks tokens against the demo backend, as HubSpot would with its own.
  window.__fakeHubSpot = {
    config: {
      verifyToken: async (email, token) => {
        const res = await fetch('/api/verify-token', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email, token }),
        });
        return (await res.json()).valid;
      },
    },
  };
}

const chat = createChat({
  portalId: config.portalId,
  scriptUrl: config.scriptUrl,
  tokenUrl: '/api/chat-token',
  timeoutMs: Number(new URLSearchParams(location.search).get('timeoutMs') ?? 10000),
  readyTimeoutMs: Number(new URLSearchParams(location.search).get('readyTimeoutMs') ?? 15000),
  debug: new URLSearchParams(location.search).has('debug'), // ?debug: transitions in the console
});
window.chat = chat; // for the e2e tests and the curious

$('mode').textContent =
  config.mode === 'stand-in' ? 'offline HubSpot stand-in' : `HubSpot portal ${config.portalId}`;

function log(name, detail, kind = '') {
  const item = document.createElement('li');
  item.className = kind;
  item.dataset.event = name;
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString();
  const label = document.createElement('span');
  label.className = 'name';
  label.textContent = name;
  const text = typeof detail === 'string' ? detail : JSON.stringify(detail);
  item.append(time, label, detail === undefined ? '' : ` ${text}`);
  $('log').prepend(item);
}

function render() {
  $('state').textContent = chat.state;
  $('state').dataset.state = chat.state;
  $('identity').textContent = chat.identity?.email ?? 'nobody';
}

chat.on('state', (state, previous) => {
  log('state', `${previous} → ${state}`);
  render();
});
for (const name of [
  'login',
  'logout',
  'tokenRefresh',
  'widgetLoaded',
  'conversationStarted',
  'conversationClosed',
  'userSelectedThread',
  'unreadConversationCountChanged',
  'contactAssociated',
  'userInteractedWithWidget',
  'widgetClosed',
  'quickReplyButtonClick',
]) {
  chat.on(name, (payload) => log(name, payload));
}
chat.on('error', (error) => {
  log('error', `${error.code}: ${error.message}`, 'error');
  $('error').textContent = `${error.code}: ${error.message}`;
});

function signedIn(email) {
  $('session').textContent = email ?? '—';
  $('account-title').textContent = email ? `Signed in as ${email}` : 'Sign in';
  $('sign-in-button').disabled = Boolean(email);
  $('sign-out-button').disabled = !email;
}

// Another tab signed in or out: the SDK followed; the page follows the SDK.
chat.on('login', (identity) => signedIn(identity.email));
chat.on('logout', () => signedIn(null));

$('email').addEventListener('change', (event) => {
  $('password').value = event.target.value.startsWith('alice') ? 'alice-demo' : 'bob-demo';
});

$('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('error').textContent = '';
  const res = await fetch('/api/sign-in', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: $('email').value, password: $('password').value }),
  });
  if (!res.ok) {
    $('error').textContent = 'Wrong email or password';
    return;
  }
  signedIn((await res.json()).email);
  await chat.login().catch(() => {}); // failures arrive as 'error' events
});

$('sign-out-button').addEventListener('click', async () => {
  await fetch('/api/sign-out', { method: 'POST' });
  signedIn(null);
  await chat.logout();
});

// On boot: a signed-in visitor is identified again without doing anything.
const session = await fetch('/api/session');
if (session.ok) {
  signedIn((await session.json()).email);
  chat.login().catch(() => {});
} else {
  chat.start();
}
render();
