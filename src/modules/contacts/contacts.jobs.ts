import { defineNightlyJob, handle, type JobRegistration } from '../../platform/queue/registry.ts';

/** The nightly attribution backfill (externalcontact/list + get) for one business date. */
export const BackfillAttribution = defineNightlyJob('contacts.backfill-attribution', 'contacts-backfill');

/** The job definitions this module owns. */
export const contactsJobDefinitions = [BackfillAttribution] as const;

/** Binds the module's jobs to their handlers. */
export function registerContactsJobs(deps: { backfill: () => Promise<unknown> }): JobRegistration[] {
  return [
    handle(BackfillAttribution, {
      async perform() {
        await deps.backfill();
      },
    }),
  ];
}
