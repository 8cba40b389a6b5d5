/**
 * `<abc-experiment-editor>`: the form that creates an experiment or edits one — name, status, coverage, variants
 * and weights (rows added and removed). Core's rules run as the user types, so a weight sum off 1 is named before
 * anything is sent; the server's answer is shown field by field (400 `details`), a 409 as "key exists" on the key,
 * a 401 as a refused admin token. What is shown and sent is decided in experiment-editor.model.ts.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { AdminApi, AdminExperiment } from '../../api/admin-api-client.js';
import { describeAdminError, isAdminApiError, type AdminFieldProblem } from '../../api/admin-api-error.js';
import { emit } from '../../shared/events.js';
import '../../shared/experiment-events.js';
import { formStyles } from '../../shared/form-styles.js';
import { themeStyles } from '../../shared/theme.js';
import {
  clientProblems,
  definitionOf,
  draftOf,
  EDITOR_STATUSES,
  evenWeights,
  errorIdOf,
  inputIdOf,
  MAX_VARIANTS,
  MIN_VARIANTS,
  patchOf,
  placeProblems,
  problemsOfError,
  readNumber,
  shareLabel,
  weightsSumToOne,
  weightTotal,
  type EditorDraft,
} from './experiment-editor.model.js';
import { editorStyles } from './experiment-editor.styles.js';

type DraftField = 'key' | 'name' | 'status' | 'coverage';

/**
 * @fires abc-experiment-saved - The server stored the definition (`detail.experimentKey`, `detail.experiment`, `detail.created`).
 * @fires abc-admin-error - Saving failed (`detail.kind` is `unauthorized` for a refused admin token, `invalid` or `conflict` for a refused definition).
 * @fires abc-editor-cancel - Cancel was pressed (`detail.experimentKey`, null for a new experiment).
 * @example <abc-experiment-editor></abc-experiment-editor> with `.adminApi = createAdminApi({ token })`
 */
export class AbcExperimentEditor extends LitElement {
  static override styles = [themeStyles, formStyles, editorStyles];
  static override properties = {
    adminApi: { attribute: false },
    experiment: { attribute: false },
    draft: { state: true },
    serverProblems: { state: true },
    failure: { state: true },
    submitted: { state: true },
    saving: { state: true },
    note: { state: true },
  };

  /** The admin client saves go through (from `createAdminApi`); `<abc-experiment-manager>` sets it. */
  declare adminApi: AdminApi | undefined;
  /** The experiment to edit; unset for a new one. */
  declare experiment: AdminExperiment | undefined;
  declare protected draft: EditorDraft;
  declare protected serverProblems: AdminFieldProblem[];
  declare protected failure: { title: string; message: string; kind: string } | undefined;
  declare protected submitted: boolean;
  declare protected saving: boolean;
  declare protected note: string;

  constructor() {
    super();
    this.draft = draftOf();
    this.serverProblems = [];
    this.submitted = false;
    this.saving = false;
    this.note = '';
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('experiment')) {
      this.draft = draftOf(this.experiment);
      this.serverProblems = [];
      this.failure = undefined;
      this.submitted = false;
      this.note = '';
    }
  }

  protected override firstUpdated(): void {
    this.#focus(this.experiment ? 'name' : 'key');
  }

  #focus(id: string): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#${id}`)?.focus());
  }

  /** Forgets what the server said about `fields` once the user changes them. */
  #edit(draft: EditorDraft, ...fields: string[]): void {
    this.draft = draft;
    this.note = '';
    this.serverProblems = this.serverProblems.filter((p) => !fields.includes(p.field));
  }

  #setField(field: DraftField, value: string): void {
    this.#edit({ ...this.draft, [field]: value }, `/${field}`);
  }

  #setVariant(index: number, part: 'key' | 'weight' | 'payload', value: string): void {
    const variants = this.draft.variants.map((v, i) => (i === index ? { ...v, [part]: value } : v));
    const field = `/variants/${index}/${part === 'payload' ? 'value' : part}`;
    this.#edit({ ...this.draft, variants }, field, `/variants/${index}`, '/variants');
  }

  #addVariant(): void {
    const count = this.draft.variants.length;
    if (count >= MAX_VARIANTS) return;
    const variants = [...this.draft.variants, { key: `variant_${count}`, weight: '0', payload: '' }];
    this.#edit({ ...this.draft, variants }, '/variants');
    this.#focus(`variant-key-${count}`);
  }

  #removeVariant(index: number): void {
    if (this.draft.variants.length <= MIN_VARIANTS) return;
    const variants = this.draft.variants.filter((_, i) => i !== index);
    // Row numbers after the removed one shift, so the server's row-level messages no longer point at the right rows.
    this.draft = { ...this.draft, variants };
    this.serverProblems = this.serverProblems.filter((p) => !p.field.startsWith('/variants'));
    this.#focus(`variant-key-${Math.min(index, variants.length - 1)}`);
  }

  #splitEvenly(): void {
    const weights = evenWeights(this.draft.variants.length);
    const variants = this.draft.variants.map((v, i) => ({ ...v, weight: weights[i]! }));
    this.#edit({ ...this.draft, variants }, ...variants.map((_, i) => `/variants/${i}/weight`), '/variants');
  }

  async #submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.saving) return;
    this.submitted = true;
    this.failure = undefined;
    this.note = '';
    if (clientProblems(this.draft).length > 0) {
      this.serverProblems = [];
      this.#focus('summary');
      return;
    }
    const api = this.adminApi;
    if (!api) {
      this.failure = { title: 'Not connected', message: 'No admin API client is set (adminApi).', kind: 'unknown' };
      this.#focus('summary');
      return;
    }
    const editing = this.experiment;
    const patch = editing ? patchOf(editing, this.draft) : null;
    if (editing && !patch) {
      this.note = 'Nothing changed.';
      return;
    }
    this.saving = true;
    try {
      const saved = editing ? await api.update(editing.key, patch!) : await api.create(definitionOf(this.draft));
      this.serverProblems = [];
      this.submitted = false;
      emit(this, 'abc-experiment-saved', { experimentKey: saved.key, experiment: saved, created: !editing });
    } catch (error) {
      this.serverProblems = problemsOfError(error);
      this.failure =
        this.serverProblems.length > 0
          ? undefined
          : { ...describeAdminError(error), kind: isAdminApiError(error) ? error.kind : 'unknown' };
      emit(this, 'abc-admin-error', {
        source: this.localName,
        kind: isAdminApiError(error) ? error.kind : 'unknown',
        status: isAdminApiError(error) ? error.status : 0,
        message: error instanceof Error ? error.message : String(error),
        error,
      });
      this.#focus('summary');
    } finally {
      this.saving = false;
    }
  }

  #cancel(): void {
    emit(this, 'abc-editor-cancel', { experimentKey: this.experiment?.key ?? null });
  }

  protected override render() {
    const draft = this.draft;
    const editing = this.experiment;
    const local = clientProblems(draft);
    const placed = placeProblems([...this.serverProblems, ...local], draft.variants.length);
    const messages = (field: string) => placed.byField.get(field) ?? [];
    const error = (field: string) => {
      const list = messages(field);
      return list.length === 0
        ? nothing
        : html`<p class="field-error" id=${errorIdOf(field)} data-for=${field}>${list.join(' · ')}</p>`;
    };
    const invalid = (field: string) => (messages(field).length > 0 ? 'true' : 'false');
    const described = (field: string, hint?: string) =>
      [hint, messages(field).length > 0 ? errorIdOf(field) : undefined].filter(Boolean).join(' ') || nothing;
    const title = editing ? `Edit ${editing.name || editing.key}` : 'New experiment';
    return html`<form class="card" novalidate aria-labelledby="editor-title" @submit=${this.#submit}>
      <div class="header">
        <div>
          <h2 id="editor-title">${title}</h2>
          <p class="subtitle">
            ${
              editing
                ? html`Key <span class="mono">${editing.key}</span> · users already assigned keep their variant`
                : 'Define the variants and who takes part; it starts as a draft unless you pick another status.'
            }
          </p>
        </div>
      </div>
      ${this.#renderSummary(placed, local.length > 0)}
      <div class="grid">
        <div class="field">
          <label for="key">Key <span class="hint">— stable, used by apps and URLs</span></label>
          <input
            id="key"
            name="key"
            autocomplete="off"
            spellcheck="false"
            class="mono"
            .value=${draft.key}
            ?readonly=${!!editing}
            aria-invalid=${invalid('/key')}
            aria-describedby=${described('/key', 'key-hint')}
            @input=${(e: Event) => this.#setField('key', (e.target as HTMLInputElement).value)}
          />
          <p class="hint" id="key-hint">
            ${editing ? 'The key cannot change.' : 'Letters, digits and _ . : -, starting with a letter or digit.'}
          </p>
          ${error('/key')}
        </div>
        <div class="field">
          <label for="name">Name <span class="hint">— optional, for people</span></label>
          <input
            id="name"
            name="name"
            autocomplete="off"
            .value=${draft.name}
            aria-invalid=${invalid('/name')}
            aria-describedby=${described('/name')}
            @input=${(e: Event) => this.#setField('name', (e.target as HTMLInputElement).value)}
          />
          ${error('/name')}
        </div>
        <div class="field">
          <label for="status">Status</label>
          <select
            id="status"
            name="status"
            class="input"
            aria-invalid=${invalid('/status')}
            aria-describedby=${described('/status')}
            @change=${(e: Event) => this.#setField('status', (e.target as HTMLSelectElement).value)}
          >
            ${EDITOR_STATUSES.map((s) => html`<option value=${s.value} ?selected=${s.value === draft.status}>${s.label}</option>`)}
          </select>
          ${error('/status')}
        </div>
        <div class="field">
          <label for="coverage">Coverage <span class="hint">— share of users included, 0 to 1</span></label>
          <div class="with-unit">
            <input
              id="coverage"
              name="coverage"
              inputmode="decimal"
              autocomplete="off"
              .value=${draft.coverage}
              aria-invalid=${invalid('/coverage')}
              aria-describedby=${described('/coverage')}
              @input=${(e: Event) => this.#setField('coverage', (e.target as HTMLInputElement).value)}
            />
            <span class="unit" aria-hidden="true">${shareLabel(draft.coverage)}</span>
          </div>
          ${error('/coverage')}
        </div>
      </div>
      ${this.#renderVariants(draft, messages, error, invalid, described)}
      <div class="actions">
        ${this.note ? html`<span class="muted" role="status">${this.note}</span>` : nothing}
        <button type="button" class="secondary" @click=${this.#cancel}>Cancel</button>
        <button type="submit" class="primary" ?disabled=${this.saving} aria-busy=${this.saving ? 'true' : 'false'}>
          ${this.saving ? 'Saving…' : editing ? 'Save changes' : 'Create experiment'}
        </button>
      </div>
    </form>`;
  }

  #renderSummary(placed: ReturnType<typeof placeProblems>, hasLocal: boolean) {
    const fieldItems = [...placed.byField].flatMap(([field, list]) => list.map((message) => ({ field, message })));
    const show =
      this.failure ||
      placed.general.length > 0 ||
      (fieldItems.length > 0 && (this.submitted || this.serverProblems.length > 0));
    if (!show) return html`<div id="summary" tabindex="-1" hidden></div>`;
    const count = fieldItems.length + placed.general.length;
    return html`<div id="summary" class="banner error summary" role="alert" tabindex="-1">
      ${
        this.failure
          ? html`<strong data-kind=${this.failure.kind}>${this.failure.title}</strong
              ><span>${this.failure.message}</span>`
          : html`<strong
              >${count === 1 ? 'One problem to fix' : `${count} problems to fix`}${hasLocal && this.serverProblems.length === 0 ? ' before saving' : ''}</strong
            >`
      }
      ${
        count > 0
          ? html`<ul>
              ${placed.general.map((line) => html`<li data-general>${line}</li>`)}
              ${fieldItems.map(
                (p) =>
                  html`<li>
                    <button type="button" class="link" @click=${() => this.#focus(inputIdOf(p.field))}>
                      ${fieldLabel(p.field)}</button
                    >: ${p.message}
                  </li>`,
              )}
            </ul>`
          : nothing
      }
    </div>`;
  }

  #renderVariants(
    draft: EditorDraft,
    messages: (field: string) => string[],
    error: (field: string) => unknown,
    invalid: (field: string) => string,
    described: (field: string, hint?: string) => string | typeof nothing,
  ) {
    const total = weightTotal(draft);
    const sumOk = weightsSumToOne(draft);
    return html`<fieldset
      class="variants"
      aria-describedby=${['variants-hint', messages('/variants').length > 0 ? errorIdOf('/variants') : ''].filter(Boolean).join(' ')}
    >
      <legend>Variants, weights and payloads</legend>
      <p class="hint" id="variants-hint">
        The first variant is the control the others are compared with. Weights are shares of the covered users and sum
        to 1.
      </p>
      <div class="split-bar" aria-hidden="true">
        ${draft.variants.map((v, i) => {
          const w = readNumber(v.weight);
          return Number.isFinite(w) && w > 0
            ? html`<span class="c${i % 4}" style="flex-grow:${w}" title=${v.key}></span>`
            : nothing;
        })}
      </div>
      <table class="variant-table">
        <thead>
          <tr>
            <th scope="col"><span class="visually-hidden">Colour</span></th>
            <th scope="col">Key</th>
            <th scope="col">Weight</th>
            <th scope="col" class="num">Share</th>
            <th scope="col"><span class="visually-hidden">Remove</span></th>
          </tr>
        </thead>
        <tbody>
          ${draft.variants.map((v, i) => {
            const row = `/variants/${i}`;
            return html`<tr data-variant-row=${i}>
                <td><span class="dot c${i % 4}" aria-hidden="true"></span></td>
                <td>
                  <label class="visually-hidden" for="variant-key-${i}"
                    >Variant ${i + 1} key${i === 0 ? ' (control)' : ''}</label
                  >
                  <div class="key-cell">
                    <input
                      id="variant-key-${i}"
                      class="mono"
                      autocomplete="off"
                      spellcheck="false"
                      .value=${v.key}
                      aria-invalid=${invalid(`${row}/key`)}
                      aria-describedby=${described(`${row}/key`)}
                      @input=${(e: Event) => this.#setVariant(i, 'key', (e.target as HTMLInputElement).value)}
                    />
                    <span class="role" aria-hidden="true"
                      >${i === 0 ? html`<span class="chip neutral">control</span>` : nothing}</span
                    >
                  </div>
                  ${error(`${row}/key`)}
                </td>
                <td>
                  <label class="visually-hidden" for="variant-weight-${i}">Variant ${i + 1} weight</label>
                  <input
                    id="variant-weight-${i}"
                    inputmode="decimal"
                    autocomplete="off"
                    .value=${v.weight}
                    aria-invalid=${invalid(`${row}/weight`)}
                    aria-describedby=${described(`${row}/weight`)}
                    @input=${(e: Event) => this.#setVariant(i, 'weight', (e.target as HTMLInputElement).value)}
                  />
                  ${error(`${row}/weight`)}
                </td>
                <td class="num share">${shareLabel(v.weight)}</td>
                <td>
                  <button
                    type="button"
                    class="icon"
                    aria-label="Remove variant ${v.key || i + 1}"
                    title="Remove variant"
                    ?disabled=${draft.variants.length <= MIN_VARIANTS}
                    @click=${() => this.#removeVariant(i)}
                  >
                    ✕
                  </button>
                </td>
              </tr>
              <tr class="payload-row" data-payload-row=${i}>
                <td></td>
                <td colspan="4">
                  <label class="payload-label" for="variant-value-${i}"
                    >Payload <span class="hint">(JSON the app reads with getVariantValue; empty for none)</span></label
                  >
                  <textarea
                    id="variant-value-${i}"
                    class="mono"
                    rows=${Math.min(8, Math.max(1, v.payload.split('\n').length))}
                    spellcheck="false"
                    autocomplete="off"
                    placeholder='{"headline": "Go Pro"}'
                    .value=${v.payload}
                    aria-invalid=${invalid(`${row}/value`)}
                    aria-describedby=${described(`${row}/value`)}
                    @input=${(e: Event) => this.#setVariant(i, 'payload', (e.target as HTMLTextAreaElement).value)}
                  ></textarea>
                  ${error(`${row}/value`)}
                </td>
              </tr>
              ${
                messages(row).length > 0
                  ? html`<tr class="row-error">
                      <td></td>
                      <td colspan="4">${error(row)}</td>
                    </tr>`
                  : nothing
              }`;
          })}
        </tbody>
      </table>
      <div class="variant-tools">
        <button
          type="button"
          class="secondary"
          ?disabled=${draft.variants.length >= MAX_VARIANTS}
          @click=${this.#addVariant}
        >
          + Add variant
        </button>
        <button type="button" class="secondary" @click=${this.#splitEvenly}>Split evenly</button>
        <span class="total ${sumOk ? 'ok' : 'off'}" data-field="weight-total">
          Total ${Number.isFinite(total) ? Number(total.toFixed(6)) : '–'} ${sumOk ? '✓' : '(must be 1)'}
        </span>
      </div>
      ${error('/variants')}
    </fieldset>`;
  }
}

/** A field pointer in the summary's words: "Variant 2 weight", "Coverage". */
function fieldLabel(field: string): string {
  const variant = /^\/variants\/(\d+)(?:\/(key|weight|value))?$/.exec(field);
  const part = variant?.[2] === 'value' ? 'payload' : variant?.[2];
  if (variant) return `Variant ${Number(variant[1]) + 1}${part ? ` ${part}` : ''}`;
  if (field === '/variants') return 'Variants';
  const name = field.replace(/^\//, '');
  return name.charAt(0).toUpperCase() + name.slice(1);
}
