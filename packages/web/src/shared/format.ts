const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatTime = (ms: number) => timeFmt.format(ms);
export const formatDateTime = (ms: number | null) => (ms == null ? '—' : dateTimeFmt.format(ms));

/** A phone number as people read it: +1 (555) 010-0100 for North America, else the country code and groups of digits. */
export function formatPhone(raw: string | null | undefined): string {
  if (!raw) return '—';
  const s = raw.replace(/^sips?:/, '').replace(/@.*$/, '');
  const d = s.replace(/[^\d+]/g, '');
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(d);
  if (nanp) return `+1 (${nanp[1]}) ${nanp[2]}-${nanp[3]}`;
  const intl = /^\+(\d{2})(\d+)$/.exec(d);
  if (intl && intl[2]!.length >= 6) return `+${intl[1]} ${intl[2]!.replace(/(\d{3})(?=\d{3,})/g, '$1 ')}`;
  return s;
}

const relFmt = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
/** "3 minutes ago", "yesterday": for times a person scans, with the absolute time in a title. */
export function formatRelative(ms: number, now = Date.now()): string {
  const s = Math.round((ms - now) / 1000);
  const abs = Math.abs(s);
  if (abs < 45) return relFmt.format(s, 'second');
  if (abs < 2700) return relFmt.format(Math.round(s / 60), 'minute');
  if (abs < 79_200) return relFmt.format(Math.round(s / 3600), 'hour');
  return relFmt.format(Math.round(s / 86_400), 'day');
}

/** 75 000 ms → "1:15"; an hour or more → "1:02:03". */
export function formatDuration(ms: number): string {
  const t = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = String(t % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** A SIP address as people say it: sip:alice@10.0.0.1:5060 → alice (numbers and names pass through). */
export function partyName(s: string): string {
  return s.replace(/<?sips?:([^@;>\s]+)@[^\s>]*>?/g, '$1');
}
