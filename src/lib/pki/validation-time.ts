/**
 * The validation time as TLS Lab takes it, the same in the CLI (`--at`, a scenario's `time`) and the web (the Chain
 * Lab's `at`): ISO 8601, a date ("2024-01-15") or a date and time, UTC unless it carries an offset
 * ("2024-01-15T10:00:00Z", "2024-01-15T12:00+02:00"). Impossible calendar dates (2024-02-30) and other forms
 * ("June 1, 2026", "2026-6-1", which Date.parse takes) are refused, not rolled over or guessed.
 */
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** The instant `text` names (a date alone: 00:00 UTC), or undefined when it is not such a date. */
export function parseIsoInstant(text: string): Date | undefined {
  const m = ISO_DATE.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone = 'Z'] = m;
  const calendar = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (
    calendar.getUTCFullYear() !== Number(y) ||
    calendar.getUTCMonth() !== Number(mo) - 1 ||
    calendar.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  )
    return undefined;
  // Built from the parts, not by Date's own parser: "2024-01-15 10:00", a lower-case t or z and "+0200" are ISO 8601
  // forms the ECMAScript date format does not promise to read the same in every engine.
  const offset = /^[zZ]$/.test(zone) ? 0 : offsetMinutes(zone);
  if (offset === undefined) return undefined;
  const ms = Math.round(Number(`0${fraction || '.0'}`) * 1000);
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  return new Date(utc - offset * 60_000);
}

/** "+02:00" or "-0530" in minutes east of UTC; undefined beyond ±23:59. */
function offsetMinutes(zone: string): number | undefined {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m || Number(m[2]) > 23 || Number(m[3]) > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** Whether `text` is a date alone (YYYY-MM-DD), with no time of day. */
export function isDateOnly(text: string): boolean {
  return /^\s*\d{4}-\d{2}-\d{2}\s*$/.test(text);
}

/**
 * The instant a chain is judged at: a date alone stands for 12:00 UTC that day (the Chain Lab's date control and
 * `tls-lab chain --at DAY`), a date and time for itself; undefined when `text` is not an ISO 8601 date.
 */
export function validationTime(text: string): Date | undefined {
  const instant = parseIsoInstant(text);
  if (!instant) return undefined;
  return isDateOnly(text) ? new Date(instant.getTime() + 12 * 3600_000) : instant;
}
