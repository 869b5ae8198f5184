/**
 * Format checks for the quick validator (see generateValidatorModule.ts): no regex, no
 * allocation, and never looser than ajv-formats' full checks, which the exact validator
 * keeps using. Anything these reject goes on to the exact validator, which decides.
 */
import { fullFormats } from "ajv-formats/dist/formats";

const digitZero = 48;
const digitNine = 57;

/** The number written by `count` ASCII digits at `start`, or -1 if one is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index += 1) {
    const code = text.charCodeAt(index);
    if (code < digitZero || code > digitNine) return -1;
    value = value * 10 + (code - digitZero);
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whether `text` starts with a real calendar date, YYYY-MM-DD. */
function startsWithDate(text: string): boolean {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false; // "-"
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** RFC 3339 full-date: exactly what ajv-formats' full `date` accepts. */
export function isQuickDate(text: string): boolean {
  return text.length === 10 && startsWithDate(text);
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with a real date and time: a subset of what
 * ajv-formats' full `date-time` accepts (no offsets, no lowercase, no leap second).
 */
export function isQuickUtcDateTime(text: string): boolean {
  const length = text.length;
  if (length < 20 || !startsWithDate(text)) return false;
  // "T", ":", ":" and the final "Z"
  if (text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58 || text.charCodeAt(length - 1) !== 90) {
    return false;
  }
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  if (length === 20) return true;
  // "." and at least one digit before the "Z"
  return text.charCodeAt(19) === 46 && length > 21 && digitsAt(text, 20, length - 21) >= 0;
}

/**
 * Every format the quick validator knows. Its precompiled code reads them from here
 * (`require("./quickFormats").quickFormats["date-time"]`), so a format it uses must be listed.
 */
export const quickFormats = Object.freeze({
  "date-time": isQuickUtcDateTime,
  date: isQuickDate,
  uuid: fullFormats.uuid,
});
