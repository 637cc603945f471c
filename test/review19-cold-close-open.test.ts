import { expect, it } from 'vitest';
import { setUp } from './harness';

it('close() before anything, then open(): opens', async () => {
  const h = setUp({}, { displayDelayMs: 1000 });
  h.chat.close();
  h.chat.open();
  await h.advance(5000);
  expect(h.standIn.fake.state()).toMatchObject({ loaded: true, isOpen: true });
});

it('open() then close() in the same task: closed', async () => {
  const h = setUp({}, { displayDelayMs: 1000 });
  h.chat.open();
  h.chat.close();
  await h.advance(5000);
  expect(h.standIn.fake.state()).toMatchObject({ loaded: true, isOpen: false });
});

it('close() remembered, open() blocked by hide(), then show() + start(): loads closed', async () => {
  const h = setUp({}, { displayDelayMs: 1000 });
  h.chat.close();
  h.chat.hide();
  h.chat.open();
  h.chat.show();
  await Promise.all([h.chat.start(), h.advance(5000)]);
  expect(h.standIn.fake.state()).toMatchObject({ loaded: true, isOpen: false });
});
