export default function PricingPage() {
  return (
    <>
      <h1>Pricing</h1>
      <p>A second route: the chat is told about the page view.</p>
    </>
  );
}
