import { useEffect, useId, useState } from 'react';
import { ApiError, api, type Body, type Me } from '../../api.ts';
import { t } from '../../messages.ts';
import {
  highlight,
  type Mark,
  marksFromFindings,
  PERSONAS,
  type Preview,
  renderedOf,
  statusLabel,
  TIERS,
  type Version,
} from './model.tsx';

/**
 * One version's text as a client would get it, for a chosen persona and tier, with every compliance
 * finding marked in the text: the draft's stored findings (by the text they matched) and the check on
 * the rendered text (by its offsets). Each mark is described by the finding listed below the text.
 */
export function PreviewPanel({ me, version }: { me: Me; version: Version }) {
  const [persona, setPersona] = useState('');
  const [tier, setTier] = useState<(typeof TIERS)[number]>('basic');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const uid = useId();
  const { componentId, version: v } = version;

  useEffect(() => {
    let live = true;
    setBusy(true);
    setError(null);
    api<Preview>(`/content/components/${encodeURIComponent(componentId)}/preview`, {
      method: 'POST',
      body: {
        version: v,
        channel: 'text',
        client: { externalUserid: 'console-preview', name: t('content.sampleClient'), tier },
        rm: { name: me.name },
        ...(persona ? { personaId: persona } : {}),
      } satisfies Body<'/content/components/{id}/preview', 'post'>,
    })
      .then(
        (p) => live && setPreview(p),
        (e: unknown) => {
          if (!live) return;
          setPreview(null);
          setError(e instanceof ApiError ? e : new ApiError(0, 'network', ''));
        },
      )
      .finally(() => live && setBusy(false));
    return () => {
      live = false;
    };
  }, [componentId, v, persona, tier, me.name]);

  const rendered = renderedOf(preview);
  const text = rendered?.payload.text ?? Object.values(rendered?.payload ?? {}).join('\n');
  const storedId = (i: number) => `${uid}-finding-${i}`;
  const checkId = (i: number) => `${uid}-check-${i}`;
  const stored = marksFromFindings(text, version.findings, storedId);
  // The check on the rendered text, less what the draft's own findings already say: a part they mark,
  // or a missing disclosure they report.
  const storedMissing = version.findings.some((f) => f.message.startsWith('compliance missing-disclosure'));
  const checkFindings = (rendered?.compliance.findings ?? [])
    .map((f, i) => ({ f, id: checkId(i) }))
    .filter(({ f }) =>
      f.kind === 'missing-disclosure'
        ? !storedMissing
        : !stored.some((s) => f.span[0] < s.end && s.start < f.span[1]),
    );
  const checked: Mark[] = checkFindings
    .filter(({ f }) => f.span[1] > f.span[0])
    .map(({ f, id }) => ({ start: f.span[0], end: f.span[1], message: f.suggestion, describedBy: id }));

  return (
    <section aria-labelledby={`${uid}-heading`} className="card">
      <h3 id={`${uid}-heading`}>{t('content.previewOf', { v })}</h3>
      <form className="inline" aria-label={t('content.preview')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('content.persona')}
          <select value={persona} onChange={(e) => setPersona(e.target.value)}>
            <option value="">{t('content.personaNone')}</option>
            {PERSONAS.map((p) => (
              <option key={p} value={p}>
                {t(`content.persona.${p}`)}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          {t('content.tier')}
          <select value={tier} onChange={(e) => setTier(e.target.value as (typeof TIERS)[number])}>
            {TIERS.map((x) => (
              <option key={x} value={x}>
                {t(`content.tier.${x}`)}
              </option>
            ))}
          </select>
        </label>
      </form>
      {busy ? <p aria-busy="true">{t('content.loadingPreview')}</p> : null}
      {error ? (
        <p role="alert">
          {t('error.generic')}
          {error.message || t('error.network')}
        </p>
      ) : null}
      {preview ? (
        <>
          <p>
            {t(statusLabel(preview.status))}
            {' · '}
            {preview.sendable
              ? t('content.sendable')
              : `${t('content.unsendable')}${preview.unsendableReason ?? ''}`}
            {rendered ? ` · ${t('content.variant', { id: rendered.variantId })}` : ''}
          </p>
          {text ? (
            <p className="content-text" data-testid="content-text" style={{ whiteSpace: 'pre-wrap' }}>
              {highlight(text, [...stored, ...checked])}
            </p>
          ) : null}
        </>
      ) : null}
      {version.findings.length > 0 || checkFindings.length > 0 ? (
        <>
          <h4>{t('content.findingsInText')}</h4>
          <ul>
            {version.findings.map((f, i) => (
              <li key={storedId(i)} id={storedId(i)}>
                {t(`content.severity.${f.severity}`)}
                {' · '}
                {f.message}
              </li>
            ))}
            {checkFindings.map(({ f, id }) => (
              <li key={id} id={id}>
                {t('content.checkOnPreview')}
                {t(`content.severity.${f.severity}`)}
                {' · '}
                {f.rule}: {f.suggestion}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
