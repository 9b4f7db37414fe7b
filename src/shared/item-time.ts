import { z } from 'zod';
import { versionField } from './common.ts';

/** One entry of staff time on an item: at most a day, so a typo cannot add a month. */
export const maxMinutesPerEntry = 24 * 60;
/** An item's recorded total: far above any real case, well inside the column's integer range. */
export const maxRecordedMinutes = 1_000_000;

const wholeMinutes = z.number({ message: 'must be a whole number of minutes' }).int('must be whole minutes');

/** POST /api/v1/items/:id/time: minutes a staff user spent on the item, added to its total. */
export const addItemTimeInput = z.strictObject({
  minutes: wholeMinutes
    .min(1, 'must be at least 1 minute')
    .max(maxMinutesPerEntry, `must be at most ${maxMinutesPerEntry} minutes (24 hours) per entry`)
    .describe('Minutes spent, added to what is already recorded (concurrent entries all count).'),
});
export type AddItemTimeInput = z.infer<typeof addItemTimeInput>;

/** PUT /api/v1/items/:id/time: correct the recorded total (e.g. after a mistaken entry). */
export const setItemTimeInput = z.strictObject({
  totalMinutes: wholeMinutes
    .min(0, 'must not be negative')
    .max(maxRecordedMinutes, `must be at most ${maxRecordedMinutes.toLocaleString('en')} minutes`)
    .nullable()
    .describe(
      'The recorded total replacing the current one; null clears it (the channel estimate applies again).',
    ),
  reason: z.string().trim().min(1, 'is required: say why the time is corrected').max(500),
  version: versionField,
});
export type SetItemTimeInput = z.infer<typeof setItemTimeInput>;

/** "45 min", "1 h", "2 h 5 min". */
export function formatMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
