/**
 * Control characters out of human-facing output. A file name or a message may hold ESC
 * sequences (clear the screen, retitle the terminal, fake colours), a CR or LF (a forged line),
 * BEL, C1 controls, or bidi overrides (text shown in another order than it is): each is shown as
 * a visible escape instead (`\x1b`, `\r`, `\u202e`). JSON and SARIF are data and keep the exact
 * text; the code frame has its own stand-ins (control pictures).
 */

// C0 controls, DEL, C1 controls, bidi embeddings/overrides/isolates, line/paragraph separators.
// eslint-disable-next-line no-control-regex
const INLINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029\u061c\u200e\u200f]/g;
// The same, keeping LF and TAB (for text laid out on several lines).
// eslint-disable-next-line no-control-regex
const MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029\u061c\u200e\u200f]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** For one-line fields (file names, rule ids, one-line messages): every control character escaped. */
export function escapeInline(text: string): string {
  return text.replace(INLINE, visible);
}

// Keeping CR too (GitHub workflow commands encode CR and LF themselves).
// eslint-disable-next-line no-control-regex
const KEEP_CRLF = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029\u061c\u200e\u200f]/g;

/** Every control character escaped except CR, LF and TAB (for formats that encode line breaks). */
export function escapeKeepingLineBreaks(text: string): string {
  return text.replace(KEEP_CRLF, visible);
}

/** For text shown on several lines: CRLF/CR become LF; LF and TAB stay; other controls escaped. */
export function escapeMultiline(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(MULTILINE, visible);
}
