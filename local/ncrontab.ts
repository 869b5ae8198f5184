/**
 * NCRONTAB schedules as the Functions timer trigger takes them: six fields, seconds first
 * (`{second} {minute} {hour} {day} {month} {day-of-week}`), in UTC. Each field is `*`, a
 * number, a range `a-b`, a step `*\/n` or `a-b/n`, or a comma list of those. Month and day
 * names (`JAN`, `MON`) and the host's TimeSpan form (`00:05:00`) are not taken: the app's
 * own schedules need neither, and an unknown form fails at start rather than never firing.
 */
export interface Schedule {
  /** The first occurrence strictly after `after`, or undefined when none comes within five years. */
  next(after: Date): Date | undefined;
}

const FIELDS = [
  { name: "second", min: 0, max: 59 },
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day-of-week", min: 0, max: 6 },
] as const;

function parseField(text: string, field: (typeof FIELDS)[number], schedule: string): number[] {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (match === null) throw new Error(`schedule "${schedule}": the ${field.name} field "${text}" is not a number, range or step`);
    const [, all, from, to, step] = match;
    const low = all === "*" ? field.min : Number(from);
    const high = all === "*" ? field.max : to !== undefined ? Number(to) : step !== undefined ? field.max : low;
    const by = step === undefined ? 1 : Number(step);
    if (low < field.min || high > field.max || low > high || by < 1) throw new Error(`schedule "${schedule}": the ${field.name} field "${text}" is out of range ${field.min}-${field.max}`);
    for (let v = low; v <= high; v += by) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

const DAY_MS = 86_400_000;
const SEARCH_DAYS = 5 * 366;

/** Parses an NCRONTAB schedule; throws naming the field it cannot read. */
export function parseSchedule(schedule: string): Schedule {
  const parts = schedule.trim().split(/\s+/);
  if (parts.length !== 6) throw new Error(`schedule "${schedule}": NCRONTAB takes six fields, seconds first`);
  const [seconds, minutes, hours, days, months, weekdays] = FIELDS.map((field, i) => parseField(parts[i]!, field, schedule)) as [number[], number[], number[], number[], number[], number[]];
  const daySet = new Set(days);
  const monthSet = new Set(months);
  const weekdaySet = new Set(weekdays);
  return {
    next(after) {
      const start = Math.floor(after.getTime() / DAY_MS) * DAY_MS;
      for (let d = 0; d < SEARCH_DAYS; d++) {
        const day = new Date(start + d * DAY_MS);
        if (!daySet.has(day.getUTCDate()) || !monthSet.has(day.getUTCMonth() + 1) || !weekdaySet.has(day.getUTCDay())) continue;
        for (const h of hours) {
          for (const m of minutes) {
            for (const s of seconds) {
              const at = day.getTime() + ((h * 60 + m) * 60 + s) * 1000;
              if (at > after.getTime()) return new Date(at);
            }
          }
        }
      }
      return undefined;
    },
  };
}
