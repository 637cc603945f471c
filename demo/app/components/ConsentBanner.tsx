// The site's own consent banner (not HubSpot's): nothing of HubSpot's loads before Accept.

export function ConsentBanner({ onDecide }: { onDecide: (granted: boolean) => void }) {
  return (
    <section className="consent-banner" aria-labelledby="consent-title">
      <div>
        <h2 id="consent-title">Cookies for the chat</h2>
        <p>
          Our support chat is HubSpot's. It sets cookies and loads HubSpot's tracking code. Until
          you accept, nothing of HubSpot's is loaded and no chat token is requested.
        </p>
      </div>
      <div className="row">
        <button type="button" onClick={() => onDecide(true)}>
          Accept
        </button>
        <button type="button" className="secondary" onClick={() => onDecide(false)}>
          Decline
        </button>
      </div>
    </section>
  );
}
