import { communitiesJobDefinitions } from '../modules/communities/communities.jobs.ts';
import { contactsJobDefinitions } from '../modules/contacts/contacts.jobs.ts';
import { conversationsJobDefinitions } from '../modules/conversations/handoff-sla.jobs.ts';
import { inboxJobDefinitions } from '../modules/inbox/inbox.jobs.ts';
import type { JobDefinition } from '../platform/queue/registry.ts';

/** Every job type Helix knows. Web enqueues any of them; the worker must register a handler for each. */
export const ALL_JOB_DEFINITIONS: readonly JobDefinition[] = [
  ...inboxJobDefinitions,
  ...communitiesJobDefinitions,
  ...contactsJobDefinitions,
  ...conversationsJobDefinitions,
];
