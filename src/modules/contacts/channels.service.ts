import type { Scope } from '../../platform/auth/scope.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/client.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import { invalidInput } from '../../platform/http/validate.ts';
import type { Log } from '../../platform/logger.ts';
import { WECOM_ERRCODES, WecomApiError } from '../../wecom/client/errors.ts';
import type { WecomClient } from '../../wecom/client/wecom-client.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { ChannelPosition, ChannelsRepository } from './channels.repository.ts';
import type { ChannelRow } from './contacts.tables.ts';
import type { RmsRepository } from './rms.repository.ts';

/** A channel ops ask for. */
export type NewChannel = {
  id: string;
  name: string;
  state: string;
  cost: number;
  rmUserids: string[];
  remark?: string;
};

/** Who asked, for the audit log. */
export type Actor = { name: string; requestId: string | null };

/** Acquisition channels: create (with their WeCom contact way), list, archive. */
export type ChannelsService = ReturnType<typeof createChannelsService>;

/**
 * Creates the channels service. Every WeCom call happens outside the transaction that records it, and a
 * contact way Helix created but could not record is deleted again, so WeCom holds no orphan codes.
 */
export function createChannelsService(deps: {
  db: Db;
  repo: ChannelsRepository;
  rms: Pick<RmsRepository, 'unknown' | 'outsideScope'>;
  audit: AuditRepository;
  contact: Pick<WecomClient, 'addContactWay' | 'deleteContactWay'>;
  clock: Clock;
  log: Log;
}) {
  const clash = (c: NewChannel) =>
    new AppError('conflict', {
      message: `channel "${c.id}" or state "${c.state}" already exists`,
      zh: `渠道“${c.id}”或 state“${c.state}”已存在。`,
    });

  async function deleteWay(configId: string): Promise<void> {
    try {
      await deps.contact.deleteContactWay(configId);
    } catch (err) {
      // Already gone in WeCom is what we wanted.
      if (err instanceof WecomApiError && err.errcode === WECOM_ERRCODES.invalidParameter) return;
      throw err;
    }
  }

  return {
    /**
     * Creates a channel and its contact way; an RM outside `scope` is a 404, unknown RMs are a 400, an id
     * or state in use a 409, all decided before WeCom is asked. Without a scope (the CLI, tests) the whole
     * bank's RMs may be named.
     */
    async create(c: NewChannel, actor: Actor, scope: Scope = { kind: 'all' }): Promise<ChannelRow> {
      // Another branch's RM answers like an unknown one, and for a limited scope an unknown RM is outside
      // it too: the token learns nothing about other branches.
      const outside = await deps.rms.outsideScope(deps.db, scope, c.rmUserids);
      if (outside.length > 0) {
        throw new AppError('not_found', {
          message: `no RM ${outside.join(', ')} in your scope`,
          zh: `在您的权限范围内没有客户经理 ${outside.join('、')}。`,
        });
      }
      const unknown = new Set(await deps.rms.unknown(deps.db, c.rmUserids));
      if (unknown.size > 0) {
        throw invalidInput(
          c.rmUserids.flatMap((u, i) =>
            unknown.has(u)
              ? [
                  {
                    en: `rmUserids.${i}: unknown RM "${u}"; set the RM up first`,
                    zh: `rmUserids.${i}: 未知的客户经理“${u}”，请先添加该客户经理`,
                  },
                ]
              : [],
          ),
        );
      }
      // Checked before WeCom is asked, so a duplicate never creates a contact way.
      if (await deps.repo.findClash(deps.db, c.id, c.state)) throw clash(c);
      const way = await deps.contact.addContactWay({
        type: c.rmUserids.length === 1 ? 1 : 2,
        scene: 2,
        state: c.state,
        users: c.rmUserids,
        ...(c.remark ? { remark: c.remark } : {}),
      });
      try {
        return await deps.db.transaction(async (tx) => {
          const created = await deps.repo.insert(tx, {
            id: c.id,
            name: c.name,
            state: c.state,
            cost: c.cost.toFixed(2),
            configId: way.configId,
            qrCode: way.qrCode ?? null,
            rmUserids: c.rmUserids,
            createdBy: actor.name,
          });
          await deps.audit.append(tx, {
            actor: actor.name,
            action: 'channel.create',
            targetType: 'channel',
            targetId: c.id,
            details: { state: c.state, configId: way.configId, rmUserids: c.rmUserids },
            requestId: actor.requestId,
          });
          return created;
        });
      } catch (err) {
        // Nothing was recorded (a concurrent create won the race, or the database failed): take the
        // contact way back so no QR code attributes clients to a channel Helix does not have.
        await deleteWay(way.configId).catch((delErr: unknown) =>
          deps.log.error(
            { err: delErr, configId: way.configId, state: c.state },
            'could not delete the contact way of a channel that was not created; delete it in WeCom',
          ),
        );
        if (isUniqueViolation(err)) throw clash(c);
        throw err;
      }
    },

    /** Channels within `scope`, oldest first; archived ones only when `archived` is true. */
    list: (scope: Scope, q: { archived: boolean; after?: ChannelPosition; limit: number }) =>
      deps.repo.list(deps.db, scope, q),

    /**
     * Archives a channel: its contact way is deleted in WeCom first (so no new client can scan it), then the
     * channel is marked and audited. Clients it brought in keep their attribution, and an add event that
     * still carries its state is attributed to it. Archiving an archived channel changes nothing.
     */
    async archive(id: string, actor: Actor, scope: Scope): Promise<ChannelRow> {
      // A channel outside `scope` answers like a missing one.
      const channel = await deps.repo.find(deps.db, scope, id);
      if (!channel)
        throw new AppError('not_found', { message: `no channel "${id}"`, zh: `没有渠道“${id}”。` });
      if (channel.archivedAt) return channel;
      if (channel.configId) await deleteWay(channel.configId);
      const archived = await deps.db.transaction(async (tx) => {
        const row = await deps.repo.archive(tx, id, deps.clock.now());
        // A concurrent archive got there first; it wrote the audit entry.
        if (!row) return undefined;
        await deps.audit.append(tx, {
          actor: actor.name,
          action: 'channel.archive',
          targetType: 'channel',
          targetId: id,
          details: { state: row.state, configId: row.configId },
          requestId: actor.requestId,
        });
        return row;
      });
      return archived ?? (await deps.repo.find(deps.db, scope, id)) ?? channel;
    },
  };
}
