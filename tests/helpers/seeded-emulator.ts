import request from 'supertest';
import { expect } from 'vitest';
import { fixedClock } from '../../src/platform/clock.ts';
import { createWecomEmulator, type WecomEmulator } from '../../src/wecom/emulator/emulator.ts';

/** The corp, secrets and start time the in-process emulator tests use. */
export const CORP = 'wwEmulatorCorp';
export const SECRETS = { app: 'app-secret', contact: 'contact-secret' };
export const T0 = new Date('2025-03-01T08:00:00Z');

/** A fresh emulator on a fixed clock, seeded with two RMs and two of 张经理's clients. */
export function seededEmulator() {
  const clock = fixedClock(T0);
  const emu = createWecomEmulator({ corpId: CORP, secrets: SECRETS, clock });
  emu.seed({
    members: [{ userid: 'rm_zhang', name: '张经理' }, { userid: 'rm_li' }],
    contacts: [
      {
        externalUserId: 'wm_client1',
        name: '王先生',
        followUsers: [{ userid: 'rm_zhang', state: 'ch-metro' }],
      },
      { externalUserId: 'wm_client2', followUsers: [{ userid: 'rm_zhang' }] },
    ],
  });
  return { clock, emu };
}

/** Calls against whichever emulator `current` returns now (tests rebuild it before each case). */
export function emulatorCalls(current: () => ReturnType<typeof seededEmulator>) {
  return {
    /** Moves the emulator's clock forward. */
    advance(ms: number) {
      const { clock } = current();
      clock.set(new Date(clock.now().getTime() + ms));
    },
    /** A valid access token for `secret` (the contact secret by default). */
    async token(e: WecomEmulator = current().emu, secret = SECRETS.contact): Promise<string> {
      const r = await request(e.app).get('/cgi-bin/gettoken').query({ corpid: CORP, corpsecret: secret });
      expect(r.body.errcode).toBe(0);
      return r.body.access_token as string;
    },
    /** POSTs a JSON body to a /cgi-bin path with a token. */
    post: (path: string, tok: string, body: unknown, e: WecomEmulator = current().emu) =>
      request(e.app)
        .post(`/cgi-bin/${path}?access_token=${tok}`)
        .send(body as object),
  };
}
