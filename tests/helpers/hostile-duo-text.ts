/**
 * Text a hostile or broken Duo (or anything on the path to it) could put in `message`, `message_detail`,
 * `status_msg` or `status`: a colour/clear-screen escape, an OSC title change ended by BEL, a CSI in its C1 form,
 * a forged second log line, NUL, DEL, bidi overrides and isolates, a line separator and a lone surrogate.
 */
export const HOSTILE_DUO_TEXT =
  '\u001b[2J\u001b[31mCall 555-0100\u001b[0m\u0007\u001b]0;owned\u0007 \u009b31m ' +
  'ok\r\n2026-01-01 [info] admin login allowed\u0000\u007f \u202egnp.exe\u202c \u2066x\u2069 \u200f\u061c\u2028\ud800 ' +
  'caf\u00e9 \u{1f510} C:\\path';

/**
 * Every character that must never get through, by Unicode property rather than the implementation's own list:
 * controls (C0, DEL, C1), bidi controls, line and paragraph separators, and lone surrogates.
 */
export const UNSAFE_CHARACTER = /[\p{Cc}\p{Bidi_Control}\p{Zl}\p{Zp}\p{Cs}]/u;

/** The printable part that must survive escaping, so people still read what Duo said. */
export const READABLE_PART = 'Call 555-0100';
