export default function HomePage() {
  return (
    <>
      <h1>Home</h1>
      <p>
        Sign in as alice or bob: the chat widget knows who you are, and forgets you at sign-out.
      </p>
    </>
  );
}
