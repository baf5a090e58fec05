/**
 * Text Duo sends (`message`, `message_detail`, `status_msg`, `status`, device names) is data. It reaches error
 * messages, log lines, audit rows and API answers, and from there terminals, log viewers and admin screens: a
 * control character in it could recolour or rewrite a terminal (ESC sequences), ring it (BEL), split a log line
 * (CR, LF) or reverse how the rest of a line reads (bidi overrides). So it is escaped once, where the client reads
 * it, into visible `\uXXXX` text; the raw text stays on `DuoError` for code that needs Duo's exact words.
 */

/**
 * C0 controls and DEL, C1 controls, the bidi marks, embeddings, overrides and isolates (ALM, LRM, RLM, LRE…RLO,
 * LRI…PDI), the Unicode line and paragraph separators, and UTF-16 halves without their other half (they turn
 * into U+FFFD or break encoders on the way to a log file).
 */
// Matching control characters is this pattern's whole purpose.
const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeUnit(unit: string): string {
  return `\\u${unit.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Duo's text with every unsafe character written as `\uXXXX`. Backslashes are left alone: they are harmless, and
 * leaving them makes the escaping idempotent (escaping twice changes nothing), so a message built from escaped
 * parts can be escaped again safely.
 */
export function escapeDuoText(raw: string): string {
  return raw.replace(UNSAFE, escapeUnit);
}

export function escapeOptionalDuoText(raw: string | undefined): string | undefined {
  return raw === undefined ? undefined : escapeDuoText(raw);
}
