/**
 * The app's one way of writing a date ("Dec 2, 2026") and a moment ("Dec 2, 2026 14:05", 24-hour), in
 * local time, as dayjs patterns: the pages format with them (format.ts) and every date field takes them
 * as its `valueFormat` (app/theme.ts), so what a person picks reads like what the pages show. Kept apart
 * from format.ts so the theme, in the first download, does not bring dayjs with it.
 */
export const DATE_FORMAT = 'MMM D, YYYY';
export const DATE_TIME_FORMAT = 'MMM D, YYYY HH:mm';
/** A chart axis's day ("Dec 2") and hour ("Dec 2 14:00"): the same pattern without the year. */
export const SHORT_DATE_FORMAT = 'MMM D';
export const SHORT_DATE_TIME_FORMAT = 'MMM D HH:mm';
