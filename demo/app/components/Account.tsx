// The site's own sign-in. The chat follows through the provider's `signedIn` prop.
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
  const [email, setEmail] = useState(USERS[0]?.email ?? '');
  const [password, setPassword] = useState(USERS[0]?.password ?? '');
  const [busy, setBusy] = useState(false);

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
          <button type="submit" disabled={Boolean(sessionEmail) || busy}>
            Sign in
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
