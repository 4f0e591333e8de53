/** Calendar dates (`YYYY-MM-DD`) as Postgres `date` columns hold them: midnight UTC. */

/** `2000-01-31` for a date column's value. */
export function toCalendarDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The date column value for `2000-01-31`. */
export function fromCalendarDate(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

/**
 * Whole years from `birthdate` to `today` (both calendar dates, compared in UTC). Someone born on
 * 29 February turns a year older on 1 March in other years.
 */
export function ageOn(birthdate: Date, today: Date): number {
  const years = today.getUTCFullYear() - birthdate.getUTCFullYear();
  const beforeBirthday =
    today.getUTCMonth() < birthdate.getUTCMonth() ||
    (today.getUTCMonth() === birthdate.getUTCMonth() &&
      today.getUTCDate() < birthdate.getUTCDate());
  return beforeBirthday ? years - 1 : years;
}
