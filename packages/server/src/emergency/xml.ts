/** Escapes text for XML content and attribute values. */
export const xmlEscape = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** `<tag>text</tag>` when text is present, else nothing. */
export const el = (tag: string, text: string | number | undefined | null, attrs = '') => (text === undefined || text === null || text === '' ? '' : `<${tag}${attrs}>${xmlEscape(String(text))}</${tag}>`);

export const isoTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
