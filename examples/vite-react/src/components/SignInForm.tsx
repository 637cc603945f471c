import { type FormEvent, useState } from 'react';
import { session, useSessionEmail } from '../session';

export function SignInForm() {
  const email = useSessionEmail();
  const [who, setWho] = useState('alice@example.com');
  const [problem, setProblem] = useState('');

  async function run(action: () => Promise<void>) {
    setProblem('');
    try {
      await action();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(() => session.signIn(who));
  }

  return (
    <form onSubmit={submit}>
      {email && <p>Signed in as {email}</p>}
      <label>
        User{' '}
        <select value={who} onChange={(event) => setWho(event.target.value)}>
          <option value="alice@example.com">alice@example.com</option>
          <option value="bob@example.com">bob@example.com</option>
        </select>
      </label>
      <button type="submit">Sign in</button>
      {email && (
        <button type="button" onClick={() => void run(session.signOut)}>
          Sign out
        </button>
      )}
      {problem && <p role="alert">{problem}</p>}
    </form>
  );
}
