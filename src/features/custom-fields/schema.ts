// biome-ignore lint/suspicious/noEmptyInterface: filled in as the feature lands
export interface CustomFieldTables {}
