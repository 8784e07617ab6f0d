// The contact rule sets callscrub knows, by the name --rules takes: France's, the United States' and Canada's.
// Apart from the rules themselves so that a command can check an option without loading the phone metadata.

export const ruleSetNames = ['fr', 'us', 'ca'] as const;
export type RuleSetName = (typeof ruleSetNames)[number];
