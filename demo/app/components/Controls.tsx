// Everything a person can switch: hide/show, lazy loading with the launcher, consent, and failures.
import type { Consent } from 'hubspot-visitor-chat';
import { useHubSpotChat } from 'hubspot-visitor-chat/react';
import { useState } from 'react';
import { type Switches, setSwitches } from '../backend';
import { useLog } from '../log';
import { type DemoSettings, storeConsent, urlWith } from '../settings';

export function Controls({
  settings,
  consent,
  onConsent,
  initialSwitches,
  canRetry,
  onRetry,
}: {
  settings: DemoSettings;
  consent: Consent;
  onConsent: (granted: boolean) => void;
  initialSwitches: Switches;
  /** Someone is signed in on the site and the chat is not (being) logged in: a login can be retried. */
  canRetry: boolean;
  onRetry: () => void;
}) {
  const { hide, show } = useHubSpotChat();
  const log = useLog();
  const [hidden, setHidden] = useState(false);
  const [switches, setSwitchesState] = useState(initialSwitches);

  const toggleHidden = () => {
    if (hidden) show();
    else hide();
    log(hidden ? 'show()' : 'hide()');
    setHidden(!hidden);
  };

  const flip = async (change: Partial<Switches>) => {
    const next = await setSwitches(change);
    setSwitchesState(next);
    log('failure switches', next);
  };

  return (
    <section className="card" aria-labelledby="controls-title">
      <h2 id="controls-title">Try it</h2>
      <div className="row">
        {/* Without consent no widget can be shown at all: nothing to hide or show. */}
        <button
          type="button"
          className="secondary"
          onClick={toggleHidden}
          disabled={consent !== 'granted'}
        >
          {hidden ? 'Show chat' : 'Hide chat'}
        </button>
        {consent === 'granted' && (
          <button type="button" className="secondary" onClick={() => onConsent(false)}>
            Withdraw consent
          </button>
        )}
        {consent === 'denied' && (
          <button type="button" className="secondary" onClick={() => onConsent(true)}>
            Give consent
          </button>
        )}
      </div>
      {consent === 'denied' && <p className="hint">The chat is off until you give consent.</p>}

      <h3>On the next page load</h3>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.load === 'interaction'}
          onChange={(event) =>
            location.assign(urlWith('load', event.target.checked ? 'interaction' : null))
          }
        />
        Load HubSpot on the first interaction (a launcher stands in)
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.askConsent}
          onChange={(event) => {
            storeConsent(null); // ask again, as on a first visit
            location.assign(urlWith('consent', event.target.checked ? 'ask' : null));
          }}
        />
        Ask for consent first (cookie banner)
      </label>

      <fieldset>
        <legend>Failure switches</legend>
        <label htmlFor="switch-token">Token endpoint</label>
        <select
          id="switch-token"
          value={switches.token}
          onChange={(event) => void flip({ token: event.target.value as Switches['token'] })}
        >
          <option value="ok">answers</option>
          <option value="500">answers 500</option>
          <option value="slow">is slow (4 s)</option>
        </select>
        <label htmlFor="switch-script">HubSpot's script (on reload)</label>
        <select
          id="switch-script"
          value={switches.script}
          onChange={(event) => void flip({ script: event.target.value as Switches['script'] })}
        >
          <option value="ok">loads</option>
          <option value="blocked">is blocked</option>
        </select>
        <div className="row">
          <button type="button" onClick={onRetry} disabled={!canRetry}>
            Retry chat login
          </button>
          <button type="button" className="secondary" onClick={() => location.reload()}>
            Reload page
          </button>
        </div>
      </fieldset>
    </section>
  );
}
