import { LAB_IDS } from '../labs/registry';

/** Tours that walk through several labs; every other topic is a lab id. */
export const TOUR_TOPIC = 'end-to-end';

/**
 * Gallery groups, in display order: one per lab (its id, in the labs' order), then the tours.
 * Derived from the lab folders, so a new lab's scenarios need no edit here.
 */
// Never empty (the tour topic is always there), as zod's enum requires.
export const SCENARIO_TOPICS = [...LAB_IDS, TOUR_TOPIC] as readonly string[] as readonly [string, ...string[]];
