/** An ISO 8601 week such as `2026-W47`. */
export type IsoWeek = `${number}-W${string}`;

const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;
const DAY_MS = 86_400_000;

/** The ISO 8601 week (Monday-based, week 1 holds the year's first Thursday) of an instant in UTC. */
export function isoWeekOf(date: Date): IsoWeek {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7; // Monday 1 .. Sunday 7
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides its year
  const year = day.getUTCFullYear();
  const week = Math.floor((day.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** Monday 00:00 UTC of an ISO week. */
export function mondayOf(week: IsoWeek): Date {
  const match = WEEK_PATTERN.exec(week);
  if (match === null) throw new RangeError(`not an ISO week: ${week}`);
  const year = Number(match[1]);
  const jan4 = new Date(Date.UTC(year, 0, 4)); // 4 January is always in week 1
  const mondayOfWeek1 = jan4.getTime() - ((jan4.getUTCDay() || 7) - 1) * DAY_MS;
  return new Date(mondayOfWeek1 + (Number(match[2]) - 1) * 7 * DAY_MS);
}

/** Parses `YYYY-Www`, rejecting weeks that do not exist (e.g. W53 of a 52-week year). */
export function parseIsoWeek(text: string): IsoWeek | undefined {
  const match = WEEK_PATTERN.exec(text);
  if (match === null) return undefined;
  const week = Number(match[2]);
  if (week < 1 || week > 53) return undefined;
  const candidate = text as IsoWeek;
  return isoWeekOf(mondayOf(candidate)) === candidate ? candidate : undefined;
}

/** The week after `week`. */
export function nextIsoWeek(week: IsoWeek): IsoWeek {
  return isoWeekOf(new Date(mondayOf(week).getTime() + 7 * DAY_MS));
}

/** Whole weeks from `from` to `to` (negative when `to` is earlier). */
export function weekCount(from: IsoWeek, to: IsoWeek): number {
  return Math.round((mondayOf(to).getTime() - mondayOf(from).getTime()) / (7 * DAY_MS));
}

/**
 * Every week from `from` to `to` inclusive, oldest first; empty when `to` is earlier. Counts
 * rather than compares, and never steps past `to`, so 9999-W52 is a valid end.
 */
export function weeksBetween(from: IsoWeek, to: IsoWeek): IsoWeek[] {
  const weeks: IsoWeek[] = [];
  const count = weekCount(from, to);
  for (let i = 0, week = from; i <= count; i++) {
    weeks.push(week);
    if (i < count) week = nextIsoWeek(week);
  }
  return weeks;
}
