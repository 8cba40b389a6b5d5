/**
 * `<abc-experiment-rules>`: the rules of one experiment — lifecycle state, targeting in words, hash attribute,
 * coverage, namespace range, the holdouts covering it, its QA overrides and each variant's payload — and the
 * "Release variant…" action. It reads and writes through the admin client it is given (the manager's, holding the
 * admin token), so it asks for no token of its own. What it shows is decided in experiment-rules.model.ts. Given a
 * dashboard client (`resultsApi`), each holdout covering the experiment can show its results below the rules.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { HoldoutRecord, OverrideRecord } from '@ab-calicritters/core';
import type { AdminApi, AdminExperiment } from '../../api/admin-api-client.js';
import type { DashboardApi } from '../../api/api-client.js';
import { describeAdminError, isAdminApiError, type AdminFieldProblem } from '../../api/admin-api-error.js';
import { emit } from '../../shared/events.js';
import type {} from '../../shared/experiment-events.js';
import { formStyles } from '../../shared/form-styles.js';
import { themeStyles } from '../../shared/theme.js';
import '../holdout-results/holdout-results.js';
import { holdoutCovers, releaseQuestion, rulesView, type RulesView } from './experiment-rules.model.js';
import { rulesStyles } from './experiment-rules.styles.js';
import { confirmDialog } from '../../shared/confirm-dialog.js';

type Problem = { title: string; message: string; kind: string; details: readonly AdminFieldProblem[] };

/**
 * @fires abc-experiment-status-change - A variant was released (`detail.action` is `release`, `detail.experiment`).
 * @fires abc-admin-error - An admin request failed (`detail.kind` is `unauthorized` when the admin token was refused).
 * @fires abc-rules-close - The close button was pressed.
 * @example <abc-experiment-rules experiment-key="paywall_copy" .adminApi=${admin}></abc-experiment-rules>
 */
export class AbcExperimentRules extends LitElement {
  static override styles = [themeStyles, formStyles, rulesStyles];
  static override properties = {
    experimentKey: { type: String, attribute: 'experiment-key' },
    adminApi: { attribute: false },
    resultsApi: { attribute: false },
    experiment: { state: true },
    shownHoldout: { state: true },
    holdouts: { state: true },
    overrides: { state: true },
    problem: { state: true },
    notice: { state: true },
    choice: { state: true },
    confirming: { state: true },
    busy: { state: true },
  };

  /** The experiment whose rules are shown. */
  declare experimentKey: string;
  /** The admin client to read and release with. */
  declare adminApi: AdminApi | undefined;
  /** A dashboard client (the dashboard token) to read holdout results with; without one none are offered. */
  declare resultsApi: DashboardApi | undefined;
  /** The holdout whose results are shown, or ''. */
  declare protected shownHoldout: string;
  declare protected experiment: AdminExperiment | undefined;
  declare protected holdouts: HoldoutRecord[];
  declare protected overrides: OverrideRecord[];
  declare protected problem: Problem | undefined;
  declare protected notice: string;
  declare protected choice: string;
  declare protected confirming: boolean;
  declare protected busy: boolean;

  #controller: AbortController | undefined;

  constructor() {
    super();
    this.experimentKey = '';
    this.holdouts = [];
    this.overrides = [];
    this.shownHoldout = '';
    this.notice = '';
    this.choice = '';
    this.confirming = false;
    this.busy = false;
  }

  /** Reads the experiment, its overrides and the holdouts again (after a change elsewhere). */
  refresh(): void {
    void this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#controller?.abort();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('experimentKey') || changed.has('adminApi')) {
      if (changed.has('experimentKey')) {
        this.notice = '';
        this.shownHoldout = '';
      }
      void this.#load();
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('confirming')) {
      const dialog = this.renderRoot.querySelector<HTMLDialogElement>('dialog');
      if (this.confirming && dialog && !dialog.open) dialog.showModal();
    }
  }

  #fail(error: unknown): void {
    const kind = isAdminApiError(error) ? error.kind : 'unknown';
    emit(this, 'abc-admin-error', {
      source: this.localName,
      kind,
      status: isAdminApiError(error) ? error.status : 0,
      message: error instanceof Error ? error.message : String(error),
      error,
    });
    this.problem = { ...describeAdminError(error), kind, details: isAdminApiError(error) ? error.details : [] };
  }

  async #load(): Promise<void> {
    const client = this.adminApi;
    this.#controller?.abort();
    if (!client || !this.experimentKey) return;
    const controller = new AbortController();
    this.#controller = controller;
    const key = this.experimentKey;
    if (this.experiment?.key !== key) this.experiment = undefined;
    try {
      const [experiment, holdouts, overrides] = await Promise.all([
        client.get(key, controller.signal),
        client.holdouts(controller.signal),
        client.overrides(key, controller.signal),
      ]);
      if (controller.signal.aborted) return;
      this.experiment = experiment;
      this.holdouts = holdouts;
      this.overrides = overrides;
      const view = rulesView(experiment, holdouts, overrides);
      if (!view.releasable.includes(this.choice)) this.choice = view.releasable[0] ?? '';
      if (this.problem?.kind !== 'invalid' && this.problem?.kind !== 'conflict') this.problem = undefined;
    } catch (error) {
      if (controller.signal.aborted) return;
      this.#fail(error);
    }
  }

  #focus(id: string): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#${CSS.escape(id)}`)?.focus());
  }

  #ask(): void {
    if (!this.choice) return;
    this.notice = '';
    this.problem = undefined;
    this.confirming = true;
  }

  #closeDialog(confirmed: boolean): void {
    this.renderRoot.querySelector<HTMLDialogElement>('dialog')?.close();
    this.confirming = false;
    if (confirmed) void this.#release(this.choice);
    else this.#focus('release-open');
  }

  async #release(variant: string): Promise<void> {
    const client = this.adminApi;
    const experiment = this.experiment;
    if (!client || !experiment || !variant) return;
    this.busy = true;
    try {
      const updated = await client.release(experiment.key, variant);
      this.experiment = updated;
      this.notice = `${experiment.key} is released: everyone gets ${variant}.`;
      emit(this, 'abc-experiment-status-change', {
        experimentKey: experiment.key,
        action: 'release',
        experiment: updated,
      });
      await this.#load();
    } catch (error) {
      this.#fail(error);
    } finally {
      this.busy = false;
      this.#focus(this.problem ? 'release-problem' : 'release-open');
    }
  }

  protected override render() {
    const view = this.experiment ? rulesView(this.experiment, this.holdouts, this.overrides) : undefined;
    return html`<section class="card" aria-labelledby="rules-title" aria-busy=${view ? 'false' : 'true'}>
      <div class="header">
        <div class="title">
          <h3 id="rules-title">Rules of <span class="mono">${this.experimentKey}</span></h3>
          ${
            view
              ? html`<span class="chip ${view.tone}" data-field="state" data-status=${view.status}>${view.state}</span>`
              : nothing
          }
        </div>
        <button type="button" class="secondary" id="rules-close" @click=${() => emit(this, 'abc-rules-close', {})}>
          Close
        </button>
      </div>
      ${this.#renderMessages()}
      ${view ? this.#renderRules(view) : this.problem ? nothing : html`<div class="state">Loading…</div>`}
      ${view ? this.#renderDialog() : nothing}
    </section>`;
  }

  #renderMessages() {
    const problem = this.problem;
    return html`${this.notice ? html`<div class="banner success" role="status" data-notice>${this.notice}</div>` : nothing}
    ${
      problem
        ? html`<div class="banner error" role="alert" id="release-problem" tabindex="-1" data-kind=${problem.kind}>
            <strong
              >${problem.kind === 'conflict' || problem.kind === 'invalid' ? 'The server refused the release' : problem.title}</strong
            >
            <span>${problem.message}</span>
            ${
              problem.details.length
                ? html`<ul>
                    ${problem.details.map(
                      (d) => html`<li data-field=${d.field}><span class="mono">${d.field}</span>: ${d.message}</li>`,
                    )}
                  </ul>`
                : nothing
            }
          </div>`
        : nothing
    }`;
  }

  /** One covering holdout, in the model's order, with a toggle for its results when a dashboard client is given. */
  #renderHoldout(label: string, index: number) {
    const key = this.holdouts.filter((h) => holdoutCovers(h, this.experimentKey))[index]?.key;
    if (!this.resultsApi || !key) return html`<span class="line">${label}</span>`;
    const shown = this.shownHoldout === key;
    return html`<span class="line"
      >${label}
      <button
        type="button"
        class="link"
        data-holdout-results=${key}
        aria-pressed=${shown ? 'true' : 'false'}
        @click=${() => (this.shownHoldout = shown ? '' : key)}
      >
        ${shown ? 'Hide results' : 'Results'}
      </button></span
    >`;
  }

  #renderRules(view: RulesView) {
    return html`<p class="state-detail" data-field="state-detail">${view.stateDetail}</p>
      <dl class="rules">
        <div>
          <dt>Targeting</dt>
          <dd data-field="targeting">
            <span class="words">${view.targeting}</span>
            ${view.conditionJson ? html`<code class="mono raw" data-field="condition">${view.conditionJson}</code>` : nothing}
          </dd>
        </div>
        <div>
          <dt>Bucketed by</dt>
          <dd data-field="hashing" class="mono">${view.hashing}</dd>
        </div>
        <div>
          <dt>Coverage</dt>
          <dd data-field="coverage">${view.coverage} of targeted users</dd>
        </div>
        <div>
          <dt>Namespace</dt>
          <dd data-field="namespace">${view.namespace}</dd>
        </div>
        <div>
          <dt>Holdouts</dt>
          <dd data-field="holdouts">
            ${view.holdouts.length ? view.holdouts.map((h, i) => this.#renderHoldout(h, i)) : 'None'}
          </dd>
        </div>
        <div>
          <dt>QA overrides</dt>
          <dd data-field="overrides">${view.overrides}</dd>
        </div>
      </dl>
      ${
        this.shownHoldout && this.resultsApi
          ? html`<abc-holdout-results .api=${this.resultsApi} holdout-key=${this.shownHoldout}></abc-holdout-results>`
          : nothing
      }
      <h4>Variants and payloads</h4>
      <ul class="variants">
        ${view.variants.map(
          (v, i) =>
            html`<li data-variant=${v.key} class=${v.released ? 'released' : ''}>
              <div class="variant-head">
                <span class="dot c${i % 4}" aria-hidden="true"></span>
                <strong>${v.key}</strong>
                <span class="muted">${v.share}</span>
                ${v.released ? html`<span class="chip accent">released</span>` : nothing}
              </div>
              ${
                v.payload === null
                  ? html`<span class="muted no-payload">No payload</span>`
                  : html`<pre class="mono payload" data-field="payload">${v.payload}</pre>
                      ${
                        v.fullPayload
                          ? html`<details>
                              <summary>Whole payload</summary>
                              <pre class="mono payload">${v.fullPayload}</pre>
                            </details>`
                          : nothing
                      }`
              }
            </li>`,
        )}
      </ul>
      ${
        view.releasable.length
          ? html`<div class="release">
              <div>
                <label for="release-variant"
                  >${view.status === 'released' ? 'Release another variant' : 'Ship a variant to everyone'}</label
                >
                <select
                  id="release-variant"
                  class="input"
                  .value=${this.choice}
                  ?disabled=${this.busy}
                  @change=${(e: Event) => (this.choice = (e.target as HTMLSelectElement).value)}
                >
                  ${view.releasable.map((k) => html`<option value=${k} ?selected=${k === this.choice}>${k}</option>`)}
                </select>
              </div>
              <button
                type="button"
                class="primary"
                id="release-open"
                ?disabled=${this.busy || !this.choice}
                @click=${() => this.#ask()}
              >
                ${this.busy ? 'Releasing…' : 'Release variant…'}
              </button>
            </div>`
          : nothing
      }`;
  }

  #renderDialog() {
    return confirmDialog({
      question: this.confirming && this.experiment ? releaseQuestion(this.experiment, this.choice) : undefined,
      idPrefix: 'release',
      confirmId: 'release-confirm',
      confirmClass: 'primary',
      close: (confirmed) => this.#closeDialog(confirmed),
    });
  }
}
