// Issue 19.7: what the launcher needs from the core.
import { expect, it } from 'vitest';
import { setUp } from './harness';

it('an open() remembered while HubSpot loads is dropped by hide(): show() brings the widget back closed', async () => {
  const h = setUp({}, { initDelayMs: 2000 });
  void h.chat.start();
  h.chat.open(); // remembered until the widget has loaded
  h.chat.hide();
  await h.advance(5000);
  h.chat.show();
  await h.advance(5000);
  expect(h.standIn.fake.state()).toMatchObject({ loaded: true, isOpen: false });
});
