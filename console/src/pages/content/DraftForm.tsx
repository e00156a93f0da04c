import { type FormEvent, useState } from 'react';
import { ApiError, api, type Body, type Ok } from '../../api.ts';
import { t } from '../../messages.ts';
import { KINDS, type Kind, kindLabel, type Version } from './model.tsx';

/** What the form holds: a component as the console writes it (one variant, a text rendering). */
export type DraftFields = { id: string; kind: Kind; title: string; text: string };

export const EMPTY_DRAFT: DraftFields = { id: '', kind: 'flash-sale', title: '', text: '' };

/**
 * A maker drafts a new component or a new version of one (`POST /content/components`). The body is the
 * component: the id, kind and title, and the text as its one variant's text rendering. The API's problem
 * for each field is shown next to it; compliance findings do not refuse a draft, they stay with it.
 */
export function DraftForm(props: {
  fields: DraftFields;
  onChange: (f: DraftFields) => void;
  onDrafted: (v: Version) => void;
  onClear: () => void;
}) {
  const { fields, onChange } = props;
  const [error, setError] = useState<ApiError | null>(null);
  const [drafted, setDrafted] = useState<Version | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDrafted(null);
    try {
      const v = await api<Ok<'/content/components', 'post'>>('/content/components', {
        method: 'POST',
        body: {
          id: fields.id.trim(),
          kind: fields.kind,
          title: fields.title.trim(),
          variants: [{ id: 'main', renderings: { text: fields.text } }],
        } satisfies Body<'/content/components', 'post'>,
      });
      setDrafted(v);
      props.onDrafted(v);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'network', ''));
    } finally {
      setBusy(false);
    }
  };

  // The API names the text `variants.0.renderings.text`; `problemFor('variants')` matches its parts.
  const problemOf = (name: keyof DraftFields) =>
    error?.problemFor(name === 'text' ? 'variants' : name) ?? undefined;
  const describe = (name: keyof DraftFields, hint?: boolean) => {
    const problem = problemOf(name);
    const ids = [hint ? `draft-${name}-hint` : '', problem ? `draft-${name}-error` : ''].filter(Boolean);
    return {
      id: `draft-${name}`,
      'aria-invalid': problem ? true : undefined,
      'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined,
    } as const;
  };
  const fieldError = (name: keyof DraftFields) => {
    const problem = problemOf(name);
    return problem ? (
      <span className="field-error" id={`draft-${name}-error`}>
        {problem}
      </span>
    ) : null;
  };

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="draft-heading">
      <h2 id="draft-heading">{t('content.draft')}</h2>
      <p className="hint">{t('content.draftHint')}</p>
      <label>
        {t('content.id')}
        <input
          name="id"
          value={fields.id}
          onChange={(e) => onChange({ ...fields, id: e.target.value })}
          {...describe('id', true)}
        />
        <span className="hint" id="draft-id-hint">
          {t('content.idHint')}
        </span>
        {fieldError('id')}
      </label>
      <label>
        {t('content.kind')}
        <select
          name="kind"
          value={fields.kind}
          onChange={(e) => onChange({ ...fields, kind: e.target.value as Kind })}
          {...describe('kind')}
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(kindLabel(k))}
            </option>
          ))}
        </select>
        {fieldError('kind')}
      </label>
      <label>
        {t('content.title')}
        <input
          name="title"
          value={fields.title}
          onChange={(e) => onChange({ ...fields, title: e.target.value })}
          {...describe('title')}
        />
        {fieldError('title')}
      </label>
      <label>
        {t('content.body')}
        <textarea
          name="text"
          rows={6}
          value={fields.text}
          onChange={(e) => onChange({ ...fields, text: e.target.value })}
          {...describe('text')}
        />
        {fieldError('text')}
      </label>
      {error ? (
        <p role="alert">
          {t('error.generic')}
          {error.message || t('error.network')}
        </p>
      ) : null}
      {drafted ? <p role="status">{t('content.drafted', { v: drafted.version })}</p> : null}
      <div>
        <button type="submit" disabled={busy}>
          {busy ? t('content.saving') : t('content.saveDraft')}
        </button>{' '}
        <button
          type="button"
          onClick={() => {
            setError(null);
            setDrafted(null);
            props.onClear();
          }}
        >
          {t('content.clear')}
        </button>
      </div>
    </form>
  );
}
