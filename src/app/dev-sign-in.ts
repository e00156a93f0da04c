import { createStaffRepository } from '../modules/staff/staff.repository.ts';
import type { Db } from '../platform/db/client.ts';
import type { Log } from '../platform/logger.ts';
import type { WecomEmulator } from '../wecom/emulator/emulator.ts';

/** The member the built-in emulator offers for signing in to a fresh development Helix. */
export const DEV_ADMIN = { userid: 'helix_admin', name: '开发管理员' } as const;

/**
 * Development with the built-in emulator only: makes sure the emulator has a member to sign in as and that
 * Helix knows them as an admin, so `npm start` gives a usable console at once. An existing staff record for
 * that userid (ops may have changed it) is left as it is. Never runs against real WeCom. When the emulator
 * has a client, it also says where the RM sidebar opens beside the chat with one (the emulator's chat page).
 */
export async function ensureDevSignIn(deps: {
  emulator: WecomEmulator;
  db: Db;
  log: Log;
  url: string;
  emulatorUrl: string;
}) {
  deps.emulator.seed({ members: [{ ...DEV_ADMIN }] });
  const staff = createStaffRepository();
  if (!(await staff.find(deps.db, DEV_ADMIN.userid)))
    await staff.upsert(deps.db, { ...DEV_ADMIN, role: 'admin', branchScope: null, disabled: false });
  deps.log.info(
    { signIn: `${deps.url}/auth/wecom/login` },
    `console sign-in: open ${deps.url}/auth/wecom/login and choose ${DEV_ADMIN.name} (${DEV_ADMIN.userid}) on the emulator's WeCom page`,
  );
  const client = [...deps.emulator.state.contacts.values()].find((c) => c.follows.length > 0);
  if (client) {
    const at = new URLSearchParams({ sidebar: `${deps.url}/sidebar`, externalUserid: client.externalUserId });
    const sidebar = `${deps.emulatorUrl}/emulator/sidebar?${at}`;
    deps.log.info({ sidebar }, `RM sidebar: once signed in, open ${sidebar} (a chat with one client)`);
  }
}
