const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Obsolete zone names RFC 2822 still asks readers to understand (minutes east of UTC). */
const NAMED_ZONES: Readonly<Record<string, number>> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
};

const PATTERN =
  /^\s*(?:[a-z]{3}\s*,\s*)?(\d{1,2})\s+([a-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+([+-]\d{4}|[a-z]{1,3})\s*$/i;

/**
 * Epoch ms of an RFC 2822 date, or null. Written out rather than `Date.parse`, which also takes ISO and
 * locale-dependent strings that Duo would refuse; the sandbox should fail where Duo fails.
 */
export function parseRfc2822(value: string): number | null {
  const match = PATTERN.exec(value);
  if (!match) return null;
  const [, dayText, monthText, yearText, hourText, minuteText, secondText, zoneText] = match;
  if (!dayText || !monthText || !yearText || !hourText || !minuteText || !zoneText) return null;
  const month = MONTHS.indexOf(monthText.toLowerCase());
  const day = Number(dayText);
  const year = Number(yearText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = secondText === undefined ? 0 : Number(secondText);
  if (month < 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;

  let offsetMinutes: number | undefined;
  if (/^[+-]\d{4}$/.test(zoneText)) {
    const sign = zoneText.startsWith('-') ? -1 : 1;
    const hours = Number(zoneText.slice(1, 3));
    const minutes = Number(zoneText.slice(3, 5));
    if (minutes > 59) return null;
    offsetMinutes = sign * (hours * 60 + minutes);
  } else {
    offsetMinutes = NAMED_ZONES[zoneText.toLowerCase()];
  }
  if (offsetMinutes === undefined) return null;

  const utc = Date.UTC(year, month, day, hour, minute, second);
  // Date.UTC rolls 31 Feb over into March; a date that does not exist is not a date.
  if (new Date(utc).getUTCDate() !== day) return null;
  return utc - offsetMinutes * 60_000;
}
