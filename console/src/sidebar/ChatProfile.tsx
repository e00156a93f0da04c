import { t } from '../messages.ts';
import { type Policy, policyName } from '../pages/clients/shared.tsx';
import { dayOf, timeOf } from '../time.ts';
import type { SidebarContext } from './model.ts';

const dash = (v: string | null | undefined) => (v ? v : t('sidebar.none'));
/** A due date as given (`YYYY-MM-DD`), or an instant's Shanghai day. */
const day = (v: string) => (/^\d{4}-\d\d-\d\d$/.test(v) ? v : dayOf(v));
const at = (v: string | null) => (v ? t('sidebar.scheduledAt', { day: dayOf(v), time: timeOf(v) }) : dash(v));

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/**
 * Who the chat is with: the client's profile (tier, risk level, tags, since when, channel; never holdings)
 * or the group's, and the RM's persona.
 */
export function ChatProfile({ context, policy }: { context: SidebarContext; policy: Policy | null }) {
  const { client, group, persona } = context;
  return (
    <>
      {client ? (
        <section aria-labelledby="sb-profile" className="card">
          <h2 id="sb-profile">
            {t('sidebar.profile')} · {client.name || t('sidebar.noName')}
          </h2>
          <dl>
            <Row label={t('sidebar.tier')}>{policyName(policy, client.tier)}</Row>
            <Row label={t('sidebar.riskLevel')}>{dash(client.riskLevel)}</Row>
            <Row label={t('sidebar.tags')}>
              {client.tags.length > 0 ? client.tags.join(t('sidebar.tagSeparator')) : t('sidebar.none')}
            </Row>
            <Row label={t('sidebar.since')}>{client.since ? dayOf(client.since) : t('sidebar.none')}</Row>
            <Row label={t('sidebar.channel')}>{dash(client.channel)}</Row>
            <Row label={t('sidebar.ownerRm')}>{dash(client.ownerRm)}</Row>
            {persona ? <Row label={t('sidebar.persona')}>{persona.name}</Row> : null}
          </dl>
        </section>
      ) : null}
      {group ? (
        <section aria-labelledby="sb-group" className="card">
          <h2 id="sb-group">
            {t('sidebar.groupProfile')} · {group.name || t('sidebar.noName')}
          </h2>
          <dl>
            <Row label={t('sidebar.tier')}>{policyName(policy, group.tier)}</Row>
            <Row label={t('sidebar.members')}>{group.members}</Row>
            {persona ? <Row label={t('sidebar.persona')}>{persona.name}</Row> : null}
          </dl>
        </section>
      ) : null}
    </>
  );
}

/** What is open for this chat: tasks, touches due, and the last hand-off to a person. */
export function ChatActivity({ context }: { context: SidebarContext }) {
  const { openTasks, touchesDue, lastHandoff } = context;
  return (
    <>
      <section aria-labelledby="sb-todo" className="card">
        <h2 id="sb-todo">{t('sidebar.todo')}</h2>
        <h3>{t('sidebar.openTasks')}</h3>
        {openTasks.length === 0 ? (
          <p className="hint">{t('sidebar.noTasks')}</p>
        ) : (
          <ul>
            {openTasks.map((task) => (
              <li key={task.id}>
                {task.title ?? t(`sidebar.taskKind.${task.kind}`)}{' '}
                <span className="hint">{at(task.scheduledAt)}</span>
              </li>
            ))}
          </ul>
        )}
        <h3>{t('sidebar.touchesDue')}</h3>
        {touchesDue.length === 0 ? (
          <p className="hint">{t('sidebar.noTouches')}</p>
        ) : (
          <ul>
            {touchesDue.map((touch) => (
              <li key={touch.id}>
                {touch.title}{' '}
                <span className="hint">
                  {touch.dueDate ? t('sidebar.dueDate', { day: day(touch.dueDate) }) : null}
                </span>
                {touch.body ? <p className="pre">{touch.body}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="sb-handoff" className="card">
        <h2 id="sb-handoff">{t('sidebar.lastHandoff')}</h2>
        {lastHandoff ? (
          <dl>
            <Row label={t('sidebar.handoffState')}>{t(`sidebar.state.${lastHandoff.state}`)}</Row>
            <Row label={t('sidebar.handedOffAt')}>{at(lastHandoff.handedOffAt)}</Row>
            <Row label={t('sidebar.slaDueAt')}>{at(lastHandoff.slaDueAt)}</Row>
            <Row label={t('sidebar.takenOverBy')}>{lastHandoff.takenOverBy ?? t('sidebar.nobody')}</Row>
          </dl>
        ) : (
          <p className="hint">{t('sidebar.noHandoff')}</p>
        )}
      </section>
    </>
  );
}
