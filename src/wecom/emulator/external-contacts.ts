import { randomBytes } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { fail, ok, parseOr40058, qrImageUrl, queryOf } from './api-kit.ts';
import type { EmulatorState, EmuWelcomeCode } from './emulator-state.ts';

/** A welcome code is usable this long after the add event (docs/wecom.md: 20 s). */
export const WELCOME_CODE_TTL_MS = 20_000;

const id = z.string().min(1).max(256);

// add_contact_way (developer.work.weixin.qq.com/document/path/92228): state is at most 30 characters.
const contactWaySchema = z
  .object({
    type: z.union([z.literal(1), z.literal(2)]),
    scene: z.union([z.literal(1), z.literal(2)]),
    state: z.string().max(30).optional(),
    user: z.array(id).max(100).optional(),
    party: z.array(z.number().int()).max(100).optional(),
    remark: z.string().max(30).optional(),
    skip_verify: z.boolean().optional(),
    style: z.number().int().optional(),
    is_temp: z.boolean().optional(),
  })
  .passthrough()
  .refine((b) => (b.user?.length ?? 0) + (b.party?.length ?? 0) > 0, { message: 'user or party is required' })
  .refine((b) => b.type === 2 || ((b.user?.length ?? 0) === 1 && !b.party?.length), {
    message: 'a single (type 1) contact way takes exactly one user',
  });

const welcomeSchema = z
  .object({
    welcome_code: z.string().min(1).max(512),
    text: z.object({ content: z.string().max(4000) }).optional(),
    attachments: z
      .array(z.object({ msgtype: z.string().max(32) }).passthrough())
      .max(9)
      .optional(),
  })
  .passthrough()
  .refine((b) => b.text !== undefined || (b.attachments?.length ?? 0) > 0, {
    message: 'text or attachments is required',
  });

/** Issues a one-time welcome code for a client who just added `rmUserId` (what the add event carries). */
export function issueWelcomeCode(
  state: EmulatorState,
  externalUserId: string,
  rmUserId: string,
): EmuWelcomeCode {
  const wc: EmuWelcomeCode = {
    code: `WC${randomBytes(12).toString('hex')}`,
    externalUserId,
    rmUserId,
    issuedAtMs: state.clock.now().getTime(),
    used: false,
  };
  state.welcomeCodes.set(wc.code, wc);
  return wc;
}

/** Mounts contact ways, welcome messages and the contact lookups on the /cgi-bin router. */
export function registerExternalContactRoutes(router: Router, state: EmulatorState): void {
  router.post('/externalcontact/add_contact_way', (req: Request, res: Response) => {
    const body = parseOr40058(res, contactWaySchema, req.body);
    if (!body) return;
    const configId = randomBytes(16).toString('hex');
    const qrCode = body.scene === 2 ? qrImageUrl(req, 'contact', configId) : '';
    state.contactWays.set(configId, {
      configId,
      qrCode,
      type: body.type,
      scene: body.scene,
      state: body.state ?? '',
      users: body.user ?? [],
      createdAt: state.clock.now().getTime(),
    });
    ok(res, qrCode ? { config_id: configId, qr_code: qrCode } : { config_id: configId });
  });

  // del_contact_way (developer.work.weixin.qq.com/document/path/92228): an unknown config_id is 40058.
  router.post('/externalcontact/del_contact_way', (req: Request, res: Response) => {
    const body = parseOr40058(res, z.object({ config_id: id }).passthrough(), req.body);
    if (!body) return;
    if (!state.contactWays.delete(body.config_id)) return fail(res, 'invalidParameter', 'config_id');
    ok(res);
  });

  router.post('/externalcontact/send_welcome_msg', (req: Request, res: Response) => {
    const body = parseOr40058(res, welcomeSchema, req.body);
    if (!body) return;
    const wc = state.welcomeCodes.get(body.welcome_code);
    const now = state.clock.now().getTime();
    if (!wc || wc.used || now - wc.issuedAtMs > WELCOME_CODE_TTL_MS) return fail(res, 'welcomeCodeInvalid');
    wc.used = true;
    state.upsertContact(wc.externalUserId).welcomes.push({
      rmUserId: wc.rmUserId,
      text: body.text?.content,
      attachments: body.attachments ?? [],
      at: now,
    });
    ok(res);
  });

  // An id with no relationship answers 84061 (not external contact), which is what WeCom returns for a
  // client nobody in the corp follows; 40096 would be its answer for a malformed id.
  router.get('/externalcontact/get', (req: Request, res: Response) => {
    const externalUserId = queryOf(req).external_userid;
    if (!externalUserId || externalUserId.length > 256)
      return fail(res, 'invalidParameter', 'external_userid');
    const c = state.contacts.get(externalUserId);
    if (!c || c.follows.length === 0) return fail(res, 'noRelationship');
    ok(res, {
      external_contact: { external_userid: c.externalUserId, name: c.name, type: 1, avatar: '', gender: 0 },
      follow_user: c.follows.map((f) => ({
        userid: f.userid,
        remark: '',
        description: '',
        createtime: f.createtime,
        state: f.state,
        tags: f.tagIds.map((tagId) => ({ tag_id: tagId, type: 1 })),
        add_way: 1,
      })),
    });
  });

  // WeCom documents GET with ?userid=; POST with the same query (or a JSON body) is accepted too.
  const list = (req: Request, res: Response) => {
    const bodyUser = (req.body as { userid?: unknown } | undefined)?.userid;
    const userid = queryOf(req).userid ?? (typeof bodyUser === 'string' ? bodyUser : undefined);
    if (!userid || userid.length > 256) return fail(res, 'invalidParameter', 'userid');
    if (!state.members.has(userid)) return fail(res, 'userNotFound');
    const ids = [...state.contacts.values()]
      .filter((c) => c.follows.some((f) => f.userid === userid))
      .map((c) => c.externalUserId);
    ok(res, { external_userid: ids });
  };
  router.get('/externalcontact/list', list);
  router.post('/externalcontact/list', list);
}
