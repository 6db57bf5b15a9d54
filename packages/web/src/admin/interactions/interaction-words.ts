import type { Channel, Interaction } from '@callsight/sdk';

const CHANNEL_TEXT: Record<Channel, string> = { voice: 'Call', video: 'Video', chat: 'Chat', sms: 'Text messages', app: 'App', web: 'Web', email: 'Email' };

export const channelText = (c: Channel) => CHANNEL_TEXT[c] ?? c;

/**
 * Where an interaction stands as a person means it. An open interaction with no call
 * going on is quiet, not live: calls nobody routed stay open for what may follow (a
 * link the caller has yet to open, a card pushed after the call), so "open" alone misleads.
 */
export function interactionStatus(it: Interaction, onCall: boolean): { text: string; pill: string; hint: string } {
  if (it.state === 'closed') return { text: 'Closed', pill: 'pill pill-muted', hint: 'Finished: nothing more will be added to it' };
  if (onCall) return { text: 'On a call', pill: 'pill pill-ok', hint: 'A call of this contact is going on now' };
  if (it.channels.includes('chat')) return { text: 'Open', pill: 'pill pill-ok', hint: 'Its chat is still open' };
  return { text: 'Open, nothing live', pill: 'pill', hint: 'No call is going on; a link or card may still follow' };
}
