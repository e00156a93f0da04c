import { useCallback, useEffect, useState } from 'react';
import { type ApiError, api, type Body, type Me, type Ok } from '../api.ts';
import { asApiError, Refusal } from '../failures.tsx';
import { t } from '../messages.ts';
import { type DraftFields, DraftForm, EMPTY_DRAFT } from './content/DraftForm.tsx';
import {
  type ComponentSummary,
  kindLabel,
  type Preview,
  renderedOf,
  type Version,
} from './content/model.tsx';
import { PreviewPanel } from './content/PreviewPanel.tsx';
import { VersionsTable } from './content/VersionsTable.tsx';

/**
 * The content library and its maker–checker flow: the components with their newest and approved
 * versions; one component's versions with status, maker, checker and findings; a version previewed for a
 * persona with its findings marked in the text; makers draft and submit, compliance approves or rejects.
 */
export default function Content({ me }: { me: Me }) {
  const [items, setItems] = useState<ComponentSummary[]>([]);
  const [listError, setListError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [versions, setVersions] = useState<Version[]>([]);
  const [versionsError, setVersionsError] = useState<ApiError | null>(null);
  const [shown, setShown] = useState<number | null>(null);
  const [draft, setDraft] = useState<DraftFields>(EMPTY_DRAFT);
  const maker = me.role === 'ops' || me.role === 'admin';

  const loadList = useCallback(() => {
    api<Ok<'/content/components', 'get'>>('/content/components?limit=200').then(
      (r) => setItems(r.items),
      (e: unknown) => setListError(asApiError(e)),
    );
  }, []);
  useEffect(loadList, [loadList]);

  const loadVersions = useCallback(async (id: string): Promise<Version[]> => {
    setVersionsError(null);
    try {
      const r = await api<Ok<'/content/components/{id}/versions', 'get'>>(
        `/content/components/${encodeURIComponent(id)}/versions?limit=100`,
      );
      setVersions(r.items);
      return r.items;
    } catch (e) {
      setVersionsError(asApiError(e));
      setVersions([]);
      return [];
    }
  }, []);

  /**
   * Brings a component's newest text into the draft form. The API does not return a version's body, so
   * the text is that version's text rendering as previewed (the same text for a component without
   * variables, which is what the console writes).
   */
  const prefill = useCallback(
    async (c: ComponentSummary) => {
      setDraft({ id: c.id, kind: c.kind, title: c.title, text: '' });
      if (!maker) return;
      const p = await api<Preview>(`/content/components/${encodeURIComponent(c.id)}/preview`, {
        method: 'POST',
        body: {
          version: c.latest,
          channel: 'text',
          client: { externalUserid: 'console-preview', name: t('content.sampleClient'), tier: 'basic' },
          rm: { name: me.name },
        } satisfies Body<'/content/components/{id}/preview', 'post'>,
      }).catch(() => null);
      const text = renderedOf(p)?.payload.text;
      if (text) setDraft((d) => (d.id === c.id && d.text === '' ? { ...d, text } : d));
    },
    [maker, me.name],
  );

  const select = async (c: ComponentSummary) => {
    setSelected(c.id);
    setShown(c.latest);
    void prefill(c);
    await loadVersions(c.id);
  };

  const onDrafted = async (v: Version) => {
    loadList();
    setSelected(v.componentId);
    setShown(v.version);
    await loadVersions(v.componentId);
  };

  const onChanged = () => {
    loadList();
    if (selected) void loadVersions(selected);
  };

  const current = items.find((c) => c.id === selected);
  const shownVersion = versions.find((v) => v.version === shown) ?? null;

  return (
    <section aria-labelledby="content-heading">
      <h1 id="content-heading">{t('content.heading')}</h1>
      <h2>{t('content.list')}</h2>
      <Refusal error={listError} />
      {items.length === 0 ? (
        <p>{t('content.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('content.title')}</th>
              <th scope="col">{t('content.kind')}</th>
              <th scope="col">{t('content.source')}</th>
              <th scope="col">{t('content.latest')}</th>
              <th scope="col">{t('content.approvedVersion')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id} aria-current={c.id === selected ? 'true' : undefined}>
                <th scope="row">
                  <button
                    type="button"
                    className="link"
                    aria-pressed={c.id === selected}
                    onClick={() => void select(c)}
                  >
                    {c.title}
                  </button>
                  <span className="hint"> {c.id}</span>
                </th>
                <td>{t(kindLabel(c.kind))}</td>
                <td>{t(c.source === 'library' ? 'content.source.library' : 'content.source.api')}</td>
                <td>{t('content.versionN', { v: c.latest })}</td>
                <td>{c.approved === null ? t('content.none') : t('content.versionN', { v: c.approved })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {current ? (
        <section aria-labelledby="versions-heading">
          <h2 id="versions-heading">{t('content.versionsOf', { title: current.title })}</h2>
          <Refusal error={versionsError} />
          <VersionsTable
            me={me}
            title={current.title}
            versions={versions}
            shown={shown}
            onShow={setShown}
            onChanged={onChanged}
          />
          {shownVersion ? <PreviewPanel key={shownVersion.version} me={me} version={shownVersion} /> : null}
        </section>
      ) : null}

      {maker ? (
        <DraftForm
          fields={draft}
          onChange={setDraft}
          onDrafted={(v) => void onDrafted(v)}
          onClear={() => {
            setDraft(EMPTY_DRAFT);
            setSelected(null);
            setVersions([]);
            setShown(null);
          }}
        />
      ) : null}
    </section>
  );
}
