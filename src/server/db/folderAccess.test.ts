import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closedFolderOnTheWay } from './folderAccess';

// A user that owns nothing here (nobody): only the folders' "others" bits let it in.
const nobody = { name: 'nobody', uid: 65534, gid: 65534 };
const top = mkdtempSync(path.join(tmpdir(), 'cvsm-access-'));
chmodSync(top, 0o755);
afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('a folder on the way that another user cannot enter', () => {
  it('is named with its mode when it is closed to others (as mktemp -d makes it)', () => {
    const data = path.join(top, 'closed', 'data');
    mkdirSync(data, { recursive: true });
    chmodSync(path.join(top, 'closed'), 0o700);
    expect(closedFolderOnTheWay(data, nobody)).toMatchObject({ folder: path.join(top, 'closed'), mode: '700' });
  });

  it('is none when every folder may be entered, or the rest is not made yet', () => {
    const open = path.join(top, 'open');
    mkdirSync(open, { mode: 0o711 });
    chmodSync(open, 0o711);
    expect(closedFolderOnTheWay(path.join(open, 'not', 'made', 'yet'), nobody)).toBeNull();
  });

  it("goes by the owner's bits for a folder the user owns", () => {
    const own = path.join(top, 'owned');
    mkdirSync(own);
    chmodSync(own, 0o700);
    const owner = { name: 'me', uid: process.getuid!(), gid: 65534 };
    expect(closedFolderOnTheWay(own, owner)).toBeNull();
    expect(closedFolderOnTheWay(own, nobody)).toMatchObject({ folder: own, mode: '700' });
  });
});
