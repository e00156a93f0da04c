/**
 * A LIKE/ILIKE pattern matching any text that contains `text` literally: its `\`, `%` and `_` are escaped
 * with `\` (use it with `ESCAPE '\'`).
 */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
