/** The fleet's host order, shared by the host table and the history heatmap. */

/** Host names in String.localeCompare's order, from one collator made once. */
export const compareNames = new Intl.Collator().compare;

/** Online hosts, then offline ones, each in `cmp`'s order. */
export function onlineFirst<T extends { online: boolean }>(hosts: readonly T[], cmp: (a: T, b: T) => number) {
  return { online: hosts.filter((h) => h.online).sort(cmp), offline: hosts.filter((h) => !h.online).sort(cmp) };
}
