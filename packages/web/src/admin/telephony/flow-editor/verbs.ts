import type { FlowVerb } from '@callsight/sdk';

/**
 * The flow steps the visual editor offers, in people's words: what each verb is called,
 * the fields it asks for and a one-line summary of a configured step. The server's verb
 * schemas stay the contract (an unknown field or value is refused there, by path); this
 * only describes them. Verbs the catalogue does not know still show and save unchanged.
 */
export type FieldKind = 'text' | 'long' | 'number' | 'bool' | 'select' | 'key' | 'queue' | 'flow' | 'list';

export interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  /** Shown as the input's placeholder; for numbers, the server's default. */
  hint?: string;
  min?: number;
  max?: number;
  step?: number;
  options?: { value: string; label: string }[];
}

export interface VerbSpec {
  verb: string;
  label: string;
  /** What the step does, shown in the "Add a step" menu. */
  description: string;
  fields: FieldSpec[];
  /** A new step's values. */
  initial: () => FlowVerb;
  summary: (v: FlowVerb) => string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);
const quote = (s: string, max = 60) => `“${s.length > max ? `${s.slice(0, max - 1)}…` : s}”`;
const times = (v: FlowVerb) => (num(v.loop, 1) > 1 ? `, ${num(v.loop, 1)} times` : '');

const loop: FieldSpec = { key: 'loop', label: 'Times', kind: 'number', min: 1, max: 10, hint: '1' };

export const VERBS: VerbSpec[] = [
  {
    verb: 'say',
    label: 'Say',
    description: 'Speak a message to the caller',
    fields: [{ key: 'text', label: 'Message', kind: 'long', required: true, hint: 'Thanks for calling Acme Bank.' }, { key: 'voice', label: 'Voice', kind: 'text', hint: 'en-us' }, loop],
    initial: () => ({ verb: 'say', text: '' }),
    summary: (v) => (str(v.text) ? `Says ${quote(str(v.text))}${times(v)}` : 'Says nothing yet'),
  },
  {
    verb: 'play',
    label: 'Play audio',
    description: 'Play a recording or an audio file',
    fields: [{ key: 'url', label: 'Audio', kind: 'text', required: true, hint: 'https://…/greeting.wav, builtin:ringback or builtin:beep' }, loop],
    initial: () => ({ verb: 'play', url: 'builtin:ringback' }),
    summary: (v) => `Plays ${str(v.url).replace(/^builtin:/, '') || 'nothing yet'}${times(v)}`,
  },
  {
    verb: 'gather',
    label: 'Menu',
    description: 'Ask the caller to press keys and branch on them',
    fields: [
      { key: 'numDigits', label: 'Keys to collect', kind: 'number', min: 1, max: 32, hint: '1' },
      { key: 'timeoutSeconds', label: 'Wait for keys (s)', kind: 'number', min: 1, max: 60, hint: '5' },
      { key: 'attempts', label: 'Times to ask', kind: 'number', min: 1, max: 5, hint: '2' },
      { key: 'finishOnKey', label: 'Key that ends input', kind: 'key' },
    ],
    initial: () => ({ verb: 'gather', prompt: [{ verb: 'say', text: 'Press 1 for sales, 2 for support.' }], branches: { '1': [], '2': [] } }),
    summary: (v) => {
      const branches = Object.keys((v.branches as Record<string, unknown>) ?? {});
      const labels = (v.labels as Record<string, string> | undefined) ?? {};
      if (branches.length === 0) return 'Asks for keys';
      return `Menu: ${branches.map((k) => (k === 'default' ? 'any other key' : labels[k] ? `${k} ${labels[k]}` : k)).join(' · ')}`;
    },
  },
  {
    verb: 'dial',
    label: 'Connect to',
    description: 'Ring a number, an extension, a person or a SIP address',
    fields: [
      { key: 'target', label: 'Number, extension or SIP address', kind: 'text', required: true, hint: '+15550123, 1001 or sip:desk@example.com' },
      { key: 'timeoutSeconds', label: 'Ring for (s)', kind: 'number', min: 1, max: 300, hint: '30' },
      { key: 'callerId', label: 'Show as caller', kind: 'text', hint: 'the caller’s own number' },
    ],
    initial: () => ({ verb: 'dial', target: '' }),
    summary: (v) => (str(v.target) ? `Rings ${str(v.target).replace(/^user:.*/, 'a person')} for up to ${num(v.timeoutSeconds, 30)} s` : 'Rings nobody yet'),
  },
  {
    verb: 'enqueue',
    label: 'Queue for an agent',
    description: 'Wait in a queue until an agent answers',
    fields: [
      { key: 'queue', label: 'Queue', kind: 'queue', required: true },
      { key: 'skills', label: 'Skills needed', kind: 'list', hint: 'cards, spanish' },
      { key: 'priority', label: 'Priority (0–100)', kind: 'number', min: 0, max: 100, hint: 'the queue’s' },
    ],
    initial: () => ({ verb: 'enqueue', queue: 'support' }),
    summary: (v) => `Waits in ${str(v.queue) || 'a queue'} for the next agent`,
  },
  {
    verb: 'deflect',
    label: 'Continue on the web',
    description: 'Text the caller a link to chat, a menu or a callback',
    fields: [
      { key: 'to', label: 'The link opens', kind: 'select', options: [{ value: 'chat', label: 'a chat' }, { value: 'menu', label: 'the visual menu' }, { value: 'callback', label: 'a callback booking' }] },
      { key: 'announcement', label: 'Offer', kind: 'long', hint: 'We have texted you a link to chat with us.' },
      { key: 'holdAnnouncement', label: 'While they wait', kind: 'long', hint: 'Still there? Open the link or stay on the line.' },
      { key: 'queue', label: 'Queue', kind: 'queue' },
      { key: 'timeoutSeconds', label: 'Wait for the link (s)', kind: 'number', min: 2, max: 600, hint: '120' },
    ],
    initial: () => ({ verb: 'deflect', to: 'chat' }),
    summary: (v) => `Texts a link to ${({ chat: 'a chat', menu: 'the visual menu', callback: 'a callback booking' } as Record<string, string>)[str(v.to) || 'chat'] ?? 'the web'}`,
  },
  {
    verb: 'record',
    label: 'Record',
    description: 'Record a message from the caller',
    fields: [
      { key: 'maxSeconds', label: 'Up to (s)', kind: 'number', min: 1, max: 3600, hint: '60' },
      { key: 'beep', label: 'Beep first', kind: 'bool' },
      { key: 'finishOnKey', label: 'Key that stops it', kind: 'key' },
    ],
    initial: () => ({ verb: 'record', maxSeconds: 60 }),
    summary: (v) => `Records up to ${num(v.maxSeconds, 60)} s`,
  },
  {
    verb: 'room',
    label: 'Join a room',
    description: 'Put the caller in an audio room',
    fields: [
      { key: 'room', label: 'Room', kind: 'text', required: true, hint: 'Lobby' },
      { key: 'role', label: 'Joins as', kind: 'select', options: [{ value: 'speaker', label: 'a speaker' }, { value: 'listener', label: 'a listener' }] },
      { key: 'name', label: 'Shown as', kind: 'text', hint: 'the caller’s number' },
    ],
    initial: () => ({ verb: 'room', room: 'Lobby' }),
    summary: (v) => `Joins ${str(v.room) || 'a room'}${v.role === 'listener' ? ' to listen' : ''}`,
  },
  {
    verb: 'conversation',
    label: 'Listen to a conversation',
    description: 'Ask for a conversation’s code and let the caller listen',
    fields: [
      { key: 'code', label: 'Always this conversation (its code)', kind: 'text', hint: 'asked of the caller' },
      { key: 'name', label: 'Shown as', kind: 'text', hint: 'the caller’s number' },
    ],
    initial: () => ({ verb: 'conversation' }),
    summary: (v) => (str(v.code) ? `Listens to the conversation ${str(v.code)}` : 'Asks for a conversation’s code, then listens'),
  },
  {
    verb: 'pause',
    label: 'Pause',
    description: 'Wait a moment in silence',
    fields: [{ key: 'seconds', label: 'Seconds', kind: 'number', required: true, min: 0.1, max: 60, step: 0.1 }],
    initial: () => ({ verb: 'pause', seconds: 1 }),
    summary: (v) => `Waits ${num(v.seconds, 1)} s`,
  },
  {
    verb: 'webhook',
    label: 'Ask your web service',
    description: 'Post the call to your URL; its answer continues the flow',
    fields: [
      { key: 'url', label: 'URL', kind: 'text', required: true, hint: 'https://example.com/calls' },
      { key: 'timeoutSeconds', label: 'Wait for it (s)', kind: 'number', min: 1, max: 30, hint: '5' },
    ],
    initial: () => ({ verb: 'webhook', url: '' }),
    summary: (v) => (str(v.url) ? `Asks ${str(v.url).replace(/^https?:\/\//, '').split('/')[0]}` : 'Asks no service yet'),
  },
  {
    verb: 'redirect',
    label: 'Go to a flow',
    description: 'Continue with another flow',
    fields: [{ key: 'flow', label: 'Flow', kind: 'flow', required: true }],
    initial: () => ({ verb: 'redirect', flow: '' }),
    summary: (v) => (str(v.flow) ? `Goes to ${str(v.flow)}` : 'Goes nowhere yet'),
  },
  {
    verb: 'echo',
    label: 'Echo test',
    description: 'Play the caller’s voice back to them',
    fields: [{ key: 'seconds', label: 'For up to (s)', kind: 'number', min: 1, max: 3600, hint: '600' }],
    initial: () => ({ verb: 'echo' }),
    summary: (v) => `Echoes the caller for up to ${Math.round(num(v.seconds, 600) / 60) || 1} min`,
  },
  {
    verb: 'hangup',
    label: 'Hang up',
    description: 'End the call',
    fields: [{ key: 'reason', label: 'Reason (for the call log)', kind: 'text' }],
    initial: () => ({ verb: 'hangup' }),
    summary: () => 'Ends the call',
  },
];

const BY_VERB = new Map(VERBS.map((s) => [s.verb, s]));

export function verbSpec(verb: string): VerbSpec | undefined {
  return BY_VERB.get(verb);
}

/** A step's name and summary; a verb this editor does not know is named as it is. */
export function describeStep(v: FlowVerb): { label: string; summary: string } {
  const spec = verbSpec(v.verb);
  return spec ? { label: spec.label, summary: spec.summary(v) } : { label: v.verb, summary: 'Edit it as code' };
}
