/** Gallery groups, in display order: the labs' topics, plus tours that walk through several labs. */
export const SCENARIO_TOPICS = ['memory-wall', 'tiling', 'attention', 'kv-cache', 'dataloader', 'workbench', 'device', 'end-to-end'] as const;
