import type { Page } from 'playwright-core';
import { joinRoomSpeakers, type BrowserRig } from '../helpers/browser-rig.js';
import { TAP_OUTPUT } from '../helpers/page-audio.js';
import { VIEWPORTS } from '../helpers/ui-checks.js';

/**
 * A video room with three Chromiums in its call: the signed-in host at desktop size (its
 * rendered output tapped for ear levels), then Ada (2 kHz) and Bo (3 kHz) as speakers.
 */
export async function threeInVideoCall(rig: BrowserRig, roomName: string): Promise<{ host: Page; ada: Page; bo: Page }> {
  const agent = await rig.s.login('agent@acme.test');
  const room = (await rig.s.api('POST', '/api/rooms', { cookie: agent, body: { name: roomName, kind: 'video' } })).body;
  const host = await rig.open('/rooms/', { as: 'agent@acme.test', context: { viewport: VIEWPORTS.desktop }, timeout: 20_000, beforeLoad: (p) => p.addInitScript(TAP_OUTPUT) });
  await host.locator(`[data-testid=room-row][data-room="${roomName}"] [data-testid=join-host]`).click();
  await host.getByTestId('lobby-join').click();
  await host.locator('[data-testid=room-stage][data-kind=video][data-status=live]').waitFor();
  const [ada, bo] = await joinRoomSpeakers(rig, agent, room.id, [
    ['Ada', 2000],
    ['Bo', 3000],
  ], { timeout: 20_000 });
  return { host, ada: ada!, bo: bo! };
}
