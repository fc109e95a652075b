/**
 * Whether another user can reach a path: PostgreSQL refuses to run as root, so as root the
 * embedded server runs as `postgres`, which must be able to enter every folder above its
 * programs (in node_modules) and its data. A checkout under a root-only folder (`mktemp -d`
 * makes one, mode 700) fails deep inside initdb otherwise, or with a bare EACCES.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';

export interface UnixUser {
  name: string;
  uid: number;
  gid: number;
}

/** The user from /etc/passwd; undefined when there is none (it is made as an ordinary user then). */
export function unixUser(name: string): UnixUser | undefined {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [user, , uid, gid] = line.split(':');
      if (user === name) return { name, uid: Number(uid), gid: Number(gid) };
    }
  } catch {
    // No passwd file: nothing is known of the user.
  }
  return undefined;
}

function canEnter(stats: Stats, user: UnixUser | undefined): boolean {
  if (user && stats.uid === user.uid) return (stats.mode & 0o100) !== 0;
  if (user && stats.gid === user.gid) return (stats.mode & 0o010) !== 0;
  return (stats.mode & 0o001) !== 0;
}

/**
 * The first existing folder on the way to `target` (from `/` down, `target` itself
 * included when it is a folder) that `user` cannot enter, with its mode and owner; null
 * when every existing one is open to it. `user` undefined stands for a user that owns
 * nothing and belongs to no group yet.
 */
export function closedFolderOnTheWay(
  target: string,
  user: UnixUser | undefined,
): { folder: string; mode: string; uid: number } | null {
  const resolved = path.resolve(target);
  const folders: string[] = [];
  for (let folder = resolved; ; folder = path.dirname(folder)) {
    folders.unshift(folder);
    if (folder === path.dirname(folder)) break;
  }
  for (const folder of folders) {
    let stats: Stats;
    try {
      stats = statSync(folder);
    } catch {
      return null; // not made yet: what is made below an open folder is ours to open
    }
    if (!stats.isDirectory()) return null;
    if (!canEnter(stats, user)) return { folder, mode: (stats.mode & 0o777).toString(8), uid: stats.uid };
  }
  return null;
}
