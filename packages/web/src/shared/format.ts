const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatTime = (ms: number) => timeFmt.format(ms);
export const formatDateTime = (ms: number | null) => (ms == null ? '—' : dateTimeFmt.format(ms));
