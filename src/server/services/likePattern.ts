/**
 * A search is a substring, never a pattern: LIKE's wildcards (`%`, `_`) and its escape
 * character (`\`, PostgreSQL's default) in what the user typed match themselves.
 */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** An ILIKE pattern matching `text` anywhere. */
export const containsPattern = (text: string): string => `%${escapeLike(text)}%`;
