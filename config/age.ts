/**
 * Age on the calendar, in completed months, for rules that bound it in years and months
 * (老年人优待卡 may be applied for from two months before the 60th birthday). One reckoning
 * serves both questions, how old someone is on a day and on which day they reach an age,
 * so a rule and a reminder never disagree by a day.
 *
 * The citizen reaches N months on the day of the month they were born on, N months on.
 * A month without that day ends the wait on its last day (born 31 August: 59 years and 10
 * months on 30 June), as 《民法典》第二百零二条 counts periods in months. A whole number
 * of years from 29 February is the one exception: it keeps counting from 1 March in a
 * common year, as ages in whole years always have here.
 */

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function parse(iso: string): Ymd | null {
  const r = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!r) return null;
  const [y, m, d] = r.slice(1).map(Number);
  // Date.UTC rolls 02-30 over into March: a date that does not round-trip is not a date.
  return new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10) === iso ? { y, m, d } : null;
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The day of month `m` of year `y` on which someone born on day `b` of `birthMonth` completes a month. */
function dayOfMonth(b: number, birthMonth: number, y: number, m: number): number {
  return m === birthMonth ? b : Math.min(b, daysIn(y, m));
}

/** Completed months of age on `today` (both YYYY-MM-DD), or null for a date that is none or a day before birth. */
export function monthsOn(birth: string, today: string): number | null {
  const b = parse(birth);
  const t = parse(today);
  if (!b || !t) return null;
  const months = (t.y - b.y) * 12 + (t.m - b.m) - (t.d < dayOfMonth(b.d, b.m, t.y, t.m) ? 1 : 0);
  return months >= 0 ? months : null;
}

/** Completed years on `today`: one more on the birthday itself; 29 February counts from 1 March in a common year. */
export function ageOn(birth: string, today: string): number | null {
  const months = monthsOn(birth, today);
  return months === null ? null : Math.floor(months / 12);
}

/** The day (YYYY-MM-DD) someone born on `birth` completes `months` months of age, or null for a birth date that is none. */
export function dayAtAge(birth: string, months: number): string | null {
  const b = parse(birth);
  if (!b) return null;
  const index = b.y * 12 + (b.m - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  // In the birth month itself the day is not clamped: Date.UTC carries 29 February into 1 March.
  return new Date(Date.UTC(y, m - 1, dayOfMonth(b.d, b.m, y, m))).toISOString().slice(0, 10);
}
