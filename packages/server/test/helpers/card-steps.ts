import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { TestServer } from './test-server.js';

/** The agent composes and pushes the demo "confirm your address" card, and waits until it is presented. */
export async function pushAddressCard(agent: Page): Promise<void> {
  await agent.getByTestId('compose-kind').selectOption('address');
  await agent.getByTestId('compose-field-line1').fill('1 High Street');
  await agent.getByTestId('compose-field-city').fill('Springfield');
  await agent.getByTestId('compose-field-postcode').fill('AB1 2CD');
  await agent.getByTestId('compose-field-country').fill('GB');
  await agent.getByTestId('compose-push').click();
  await agent.locator('[data-testid=card-status][data-status=presented]').waitFor();
}

/**
 * The interaction's exported confirmation record holds exactly the pushed address card
 * and the customer's answer correcting the postcode, and its chain verifies.
 */
export async function assertAddressCorrectionExported(s: TestServer, interactionId: string, cookie: string, customerId: string): Promise<void> {
  const exported = (await s.api('GET', `/api/interactions/${interactionId}/confirmations/export`, { cookie })).body;
  assert.equal(exported.verification.ok, true);
  const [presented, answer] = exported.records;
  assert.equal(presented.type, 'presented');
  assert.equal(presented.content.content.title, 'Confirm your address');
  assert.deepEqual(presented.content.content.values, { line1: '1 High Street', city: 'Springfield', postcode: 'AB1 2CD', country: 'GB' });
  assert.equal(answer.type, 'answered');
  assert.equal(answer.actor, customerId);
  assert.deepEqual(answer.content.answer.values, { line1: '1 High Street', line2: null, city: 'Springfield', postcode: 'ZX9 8YW', country: 'GB' });
  assert.deepEqual(answer.content.answer.changes, [{ field: 'postcode', from: 'AB1 2CD', to: 'ZX9 8YW' }]);
}
