import { signIn, signOut } from './actions';

/** A Server Component: the form posts to the Server Actions, with or without JavaScript. */
export function SignInForm({ email }: { email: string | null }) {
  return (
    <form action={signIn}>
      {email && <p>Signed in as {email}</p>}
      <label>
        User{' '}
        <select name="email" defaultValue="alice@example.com">
          <option value="alice@example.com">alice@example.com</option>
          <option value="bob@example.com">bob@example.com</option>
        </select>
      </label>
      <button type="submit">Sign in</button>
      {email && (
        <button type="submit" formAction={signOut}>
          Sign out
        </button>
      )}
    </form>
  );
}
