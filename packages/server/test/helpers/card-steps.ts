import type { Page } from 'playwright-core';

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
