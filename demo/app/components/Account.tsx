// The site's own sign-in. The chat follows through the provider's `signedIn` prop. While someone is
// signed in, submitting another user switches straight to them: the backend's sign-in replaces the
// session, and the provider's new key logs the chat in as them without an anonymous step.
import { type FormEvent, useState } from 'react';

const USERS = [
  { email: 'alice@example.com', password: 'alice-demo' },
  { email: 'bob@example.com', password: 'bob-demo' },
];

export function Account({
  sessionEmail,
  error,
  onSignIn,
  onSignOut,
}: {
  sessionEmail: string | null;
  error: string;
  onSignIn: (email: string, password: string) => Promise<void>;
  onSignOut: () => Promise<void>;
}) {
  // The signed-in user preselected (a page loaded while signed in as bob shows bob).
  const [email, setEmail] = useState(
    () => (USERS.find((user) => user.email === sessionEmail) ?? USERS[0])?.email ?? '',
  );
  const [password, setPassword] = useState(
    () => USERS.find((user) => user.email === email)?.password ?? '',
  );
  const [busy, setBusy] = useState(false);
  /** Signed in as someone else than the selected user: the button switches to them. */
  const switching = sessionEmail !== null && email !== sessionEmail;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await onSignIn(email, password);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="account-title">
      <h2 id="account-title">{sessionEmail ? `Signed in as ${sessionEmail}` : 'Sign in'}</h2>
      <form onSubmit={submit}>
        {/* For password managers: the account the password belongs to. */}
        <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
        <label htmlFor="email">Email</label>
        <select
          id="email"
          value={email}
          onChange={(event) => {
            setEmail(event.target.value);
            setPassword(
              USERS.find((user) => user.email === event.target.value)?.password ?? password,
            );
          }}
        >
          {USERS.map((user) => (
            <option key={user.email} value={user.email}>
              {user.email}
            </option>
          ))}
        </select>
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <div className="row">
          <button type="submit" disabled={busy || email === sessionEmail}>
            {switching ? `Switch to ${email}` : 'Sign in'}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={!sessionEmail}
            onClick={() => void onSignOut()}
          >
            Sign out
          </button>
        </div>
      </form>
      <p className="hint">
        Demo users: <code>alice@example.com</code> / <code>alice-demo</code>,{' '}
        <code>bob@example.com</code> / <code>bob-demo</code>.
      </p>
      <div className="error-box" id="error" role="alert">
        {error}
      </div>
    </section>
  );
}
