/**
 * `<abc-experiment-manager>`: lists the experiments of the admin API and creates, edits, starts, stops and archives
 * them. It asks for the admin token itself — a different token from the dashboard's — and keeps it in this
 * element's memory only: never in an attribute, storage or a cookie, so a reload or a closed tab forgets it (a
 * token that can change every experiment should not outlive the page it was typed into). What it shows is decided
 * in experiment-manager.model.ts; the form is `<abc-experiment-editor>`.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { createAdminApi, type AdminApi, type AdminExperiment } from '../../api/admin-api-client.js';
import type { DashboardApi } from '../../api/api-client.js';
import { describeAdminError, isAdminApiError } from '../../api/admin-api-error.js';
import { emit } from '../../shared/events.js';
import type {
  AbcAdminErrorEvent,
  AbcExperimentSavedEvent,
  AbcExperimentStatusChangeEvent,
} from '../../shared/experiment-events.js';
import { formStyles } from '../../shared/form-styles.js';
import { themeStyles } from '../../shared/theme.js';
import '../experiment-editor/experiment-editor.js';
import '../experiment-history/experiment-history.js';
import '../experiment-rules/experiment-rules.js';
import {
  actionDone,
  confirmationFor,
  listSummary,
  managerRows,
  type ManagerRow,
  type StatusAction,
} from './experiment-manager.model.js';
import { managerStyles } from './experiment-manager.styles.js';
import { confirmDialog } from '../../shared/confirm-dialog.js';

type Problem = { title: string; message: string; kind: string };

/**
 * @fires abc-experiment-saved - An experiment was created or edited (`detail.experimentKey`, `detail.created`).
 * @fires abc-experiment-status-change - An experiment was started, stopped or archived (`detail.action`, `detail.experiment`).
 * @fires abc-admin-error - An admin request failed (`detail.kind` is `unauthorized` when the admin token was refused).
 * @example <abc-experiment-manager api-base-url="https://ab.example.com"></abc-experiment-manager>
 */
export class AbcExperimentManager extends LitElement {
  static override styles = [themeStyles, formStyles, managerStyles];
  static override properties = {
    apiBaseUrl: { type: String, attribute: 'api-base-url' },
    adminApi: { attribute: false },
    resultsApi: { attribute: false },
    showArchived: { type: Boolean, attribute: 'show-archived', reflect: true },
    experiments: { state: true },
    loading: { state: true },
    refused: { state: true },
    problem: { state: true },
    notice: { state: true },
    editing: { state: true },
    confirming: { state: true },
    busyKey: { state: true },
    connected: { state: true },
    historyKey: { state: true },
    rulesKey: { state: true },
  };

  /** Server origin (and prefix) of the admin API; empty means this page's origin. */
  declare apiBaseUrl: string;
  /** A ready admin client (e.g. with the host's own token provider); the token form is then not shown. */
  declare adminApi: AdminApi | undefined;
  /** A dashboard client, passed to the rules panel so it can show the results of the holdouts it lists. */
  declare resultsApi: DashboardApi | undefined;
  /** Lists archived experiments too. */
  declare showArchived: boolean;
  declare protected experiments: AdminExperiment[] | undefined;
  declare protected loading: boolean;
  declare protected refused: boolean;
  declare protected problem: Problem | undefined;
  declare protected notice: string;
  declare protected editing: AdminExperiment | 'new' | undefined;
  declare protected confirming: { action: StatusAction; experiment: AdminExperiment } | undefined;
  declare protected busyKey: string;
  declare protected connected: boolean;
  /** The experiment whose history is open under the table. */
  declare protected historyKey: string;
  /** The experiment whose rules (and release action) are open under the table. */
  declare protected rulesKey: string;

  /** The client made from the token typed into the form: held here only (see the module comment). */
  #typedClient: AdminApi | undefined;
  /** The name typed next to the token, sent as `x-admin-actor` for the audit log: held like the token. */
  #actor = '';
  #controller: AbortController | undefined;
  #returnFocus: string | undefined;

  constructor() {
    super();
    this.apiBaseUrl = '';
    this.showArchived = false;
    this.loading = false;
    this.refused = false;
    this.notice = '';
    this.busyKey = '';
    this.connected = false;
    this.historyKey = '';
    this.rulesKey = '';
  }

  get #client(): AdminApi | undefined {
    return this.adminApi ?? this.#typedClient;
  }

  /** Loads the list again (when connected). */
  refresh(): void {
    void this.#load();
  }

  /** Forgets the typed admin token and shows the token form again. */
  forgetToken(): void {
    this.#typedClient = undefined;
    this.#actor = '';
    this.historyKey = '';
    this.rulesKey = '';
    this.connected = !!this.adminApi;
    this.experiments = undefined;
    this.editing = undefined;
    this.refused = false;
    this.problem = undefined;
    this.notice = '';
    this.#focus('admin-token');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#controller?.abort();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('adminApi') && this.adminApi) this.connected = true;
    if ((changed.has('adminApi') || changed.has('apiBaseUrl')) && this.connected && this.hasUpdated) void this.#load();
    if (changed.has('showArchived') && this.hasUpdated && this.connected) void this.#load();
  }

  protected override firstUpdated(): void {
    if (this.connected) void this.#load();
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('confirming')) {
      const dialog = this.renderRoot.querySelector<HTMLDialogElement>('dialog');
      if (this.confirming && dialog && !dialog.open) dialog.showModal();
    }
  }

  #focus(id: string): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#${CSS.escape(id)}`)?.focus());
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
    if (kind === 'unauthorized') {
      this.#refuse();
      return;
    }
    this.problem = { ...describeAdminError(error), kind };
  }

  /** A 401: the typed token goes, the form comes back with the reason; what was on screen stays. */
  #refuse(): void {
    this.#typedClient = undefined;
    this.connected = false;
    this.refused = true;
    this.problem = undefined;
    this.notice = '';
    this.#focus('admin-token');
  }

  async #load(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.loading = true;
    try {
      const experiments = await client.list({ includeArchived: this.showArchived }, controller.signal);
      if (controller.signal.aborted) return;
      this.experiments = experiments;
      this.refused = false;
      this.connected = true;
    } catch (error) {
      if (controller.signal.aborted) return;
      this.#fail(error);
    } finally {
      if (!controller.signal.aborted) this.loading = false;
    }
  }

  #submitToken(event: Event): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#admin-token');
    const token = input?.value.trim() ?? '';
    if (!token) {
      input?.focus();
      return;
    }
    if (input) input.value = '';
    this.#actor = this.renderRoot.querySelector<HTMLInputElement>('#admin-actor')?.value.trim() ?? '';
    this.#typedClient = createAdminApi({ baseUrl: this.apiBaseUrl, token, actor: () => this.#actor });
    this.connected = true;
    this.problem = undefined;
    void this.#load().then(() => {
      if (this.connected) this.#focus(this.editing ? 'editor' : 'new-experiment');
    });
  }

  #openEditor(target: AdminExperiment | 'new', returnFocus: string): void {
    this.#returnFocus = returnFocus;
    this.notice = '';
    this.problem = undefined;
    this.editing = target;
  }

  #closeEditor(): void {
    this.editing = undefined;
    this.#focus(this.#returnFocus ?? 'new-experiment');
  }

  #onSaved(event: AbcExperimentSavedEvent): void {
    const { experimentKey, created } = event.detail;
    this.notice = actionDone(created ? 'created' : 'saved', experimentKey);
    this.#returnFocus = `edit-${experimentKey}`;
    this.#closeEditor();
    void this.#load().then(() => this.#refreshHistory());
  }

  #refreshHistory(): void {
    this.renderRoot.querySelector('abc-experiment-history')?.refresh();
    this.renderRoot.querySelector('abc-experiment-rules')?.refresh();
  }

  #toggleHistory(key: string): void {
    this.historyKey = this.historyKey === key ? '' : key;
  }

  #toggleRules(key: string): void {
    this.rulesKey = this.rulesKey === key ? '' : key;
  }

  #onReleased(event: AbcExperimentStatusChangeEvent): void {
    this.notice = '';
    this.problem = undefined;
    emit(this, 'abc-experiment-status-change', event.detail);
    void this.#load().then(() => this.#refreshHistory());
  }

  #onEditorError(event: AbcAdminErrorEvent): void {
    // The editor shows what the server said about the fields; only a refused token concerns the manager.
    if (event.detail.kind === 'unauthorized') this.#refuse();
  }

  #ask(action: StatusAction, experiment: AdminExperiment): void {
    this.#returnFocus = `${action}-${experiment.key}`;
    this.notice = '';
    this.problem = undefined;
    if (confirmationFor(action, experiment)) this.confirming = { action, experiment };
    else void this.#run(action, experiment);
  }

  #closeDialog(confirmed: boolean): void {
    const pending = this.confirming;
    this.renderRoot.querySelector<HTMLDialogElement>('dialog')?.close();
    this.confirming = undefined;
    if (confirmed && pending) void this.#run(pending.action, pending.experiment);
    else if (this.#returnFocus) this.#focus(this.#returnFocus);
  }

  async #run(action: StatusAction, experiment: AdminExperiment): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.busyKey = experiment.key;
    try {
      const updated = await client[action](experiment.key);
      this.notice = actionDone(action, experiment.key);
      emit(this, 'abc-experiment-status-change', { experimentKey: experiment.key, action, experiment: updated });
      await this.#load();
      this.#refreshHistory();
      this.#focus(action === 'archive' && !this.showArchived ? 'new-experiment' : `edit-${experiment.key}`);
    } catch (error) {
      this.#fail(error);
    } finally {
      this.busyKey = '';
    }
  }

  protected override render() {
    const showForm = !this.connected;
    return html`
      ${showForm ? this.#renderTokenForm() : nothing}
      ${this.experiments !== undefined || this.editing ? this.#renderContent() : nothing} ${this.#renderDialog()}
    `;
  }

  #renderTokenForm() {
    return html`<form
      class="card token-form"
      id="admin-token-form"
      data-state=${this.refused ? 'refused' : 'ask'}
      aria-labelledby="admin-token-title"
      @submit=${this.#submitToken}
    >
      <div>
        <h2 id="admin-token-title">${this.refused ? 'Admin token refused' : 'Manage experiments'}</h2>
        <p class="subtitle">
          Creating and changing experiments needs the server's <span class="mono">ADMIN_TOKEN</span> — not the dashboard
          token. It is kept in this page's memory only: a reload or a closed tab forgets it.
        </p>
      </div>
      ${
        this.refused
          ? html`<div class="banner error" role="alert" id="admin-token-error">
              <strong>The server refused the admin token (401).</strong>
              <span
                >Enter the ADMIN_TOKEN the server was started with; a server without one has the admin API off.</span
              >
            </div>`
          : nothing
      }
      <div class="token-row">
        <div class="grow">
          <label for="admin-token">Admin token</label>
          <input
            id="admin-token"
            name="admin-token"
            type="password"
            autocomplete="off"
            spellcheck="false"
            required
            aria-invalid=${this.refused ? 'true' : 'false'}
            aria-describedby=${this.refused ? 'admin-token-error' : nothing}
          />
        </div>
        <div>
          <label for="admin-actor">Your name <span class="muted">(for the change history)</span></label>
          <input id="admin-actor" name="admin-actor" type="text" autocomplete="name" maxlength="128" />
        </div>
        <button type="submit" class="primary">${this.refused ? 'Try again' : 'Unlock'}</button>
      </div>
    </form>`;
  }

  #renderContent() {
    if (this.editing) {
      return html`<abc-experiment-editor
        id="editor"
        .adminApi=${this.#client}
        .experiment=${this.editing === 'new' ? undefined : this.editing}
        @abc-experiment-saved=${this.#onSaved}
        @abc-admin-error=${this.#onEditorError}
        @abc-editor-cancel=${this.#closeEditor}
      ></abc-experiment-editor>`;
    }
    const experiments = this.experiments ?? [];
    const rows = managerRows(experiments);
    return html`<section class="card" aria-labelledby="manage-title" aria-busy=${this.loading ? 'true' : 'false'}>
        <div class="header">
          <div>
            <h2 id="manage-title">Manage experiments</h2>
            <p class="subtitle" data-field="summary">${listSummary(experiments)}</p>
          </div>
          <div class="tools">
            <label class="toggle">
              <input
                type="checkbox"
                id="show-archived"
                .checked=${this.showArchived}
                @change=${(e: Event) => (this.showArchived = (e.target as HTMLInputElement).checked)}
              />
              Show archived
            </label>
            <button class="secondary" type="button" @click=${() => this.forgetToken()} ?hidden=${!!this.adminApi}>
              Lock
            </button>
            <button
              class="primary"
              type="button"
              id="new-experiment"
              ?disabled=${!this.connected}
              @click=${() => this.#openEditor('new', 'new-experiment')}
            >
              + New experiment
            </button>
          </div>
        </div>
        <div class="messages">
          ${this.notice ? html`<div class="banner success" role="status" data-notice>${this.notice}</div>` : nothing}
          ${
            this.problem
              ? html`<div class="banner error" role="alert" data-kind=${this.problem.kind}>
                  <strong>${this.problem.title}</strong><span>${this.problem.message}</span>
                </div>`
              : nothing
          }
        </div>
        ${
          rows.length === 0
            ? html`<div class="state">
                <strong>No experiments yet</strong>Create one with “New experiment”: it starts as a draft.
              </div>`
            : html`<div class="table-scroll">
                <table class="experiments">
                  <thead>
                    <tr>
                      <th scope="col">Experiment</th>
                      <th scope="col">Status</th>
                      <th scope="col">Variants and weights</th>
                      <th scope="col" class="num">Coverage</th>
                      <th scope="col">Updated</th>
                      <th scope="col"><span class="visually-hidden">Actions</span></th>
                    </tr>
                  </thead>
                  <tbody>
                    ${rows.map((row) => this.#renderRow(row))}
                  </tbody>
                </table>
              </div>`
        }
      </section>
      ${
        this.rulesKey
          ? html`<abc-experiment-rules
              .adminApi=${this.#client}
              .resultsApi=${this.resultsApi}
              experiment-key=${this.rulesKey}
              @abc-experiment-status-change=${(e: AbcExperimentStatusChangeEvent) => {
                // The panel's own event bubbles on; the manager reports it once, as its own.
                e.stopPropagation();
                this.#onReleased(e);
              }}
              @abc-rules-close=${() => {
                const key = this.rulesKey;
                this.rulesKey = '';
                this.#focus(`rules-${key}`);
              }}
              @abc-admin-error=${this.#onEditorError}
            ></abc-experiment-rules>`
          : nothing
      }
      ${
        this.historyKey
          ? html`<abc-experiment-history
              .adminApi=${this.#client}
              experiment-key=${this.historyKey}
              @abc-history-close=${() => {
                const key = this.historyKey;
                this.historyKey = '';
                this.#focus(`history-${key}`);
              }}
              @abc-admin-error=${this.#onEditorError}
            ></abc-experiment-history>`
          : nothing
      }`;
  }

  #renderRow(row: ManagerRow) {
    const busy = this.busyKey === row.key;
    const disabled = busy || !this.connected;
    return html`<tr data-experiment=${row.key} data-status=${row.status} aria-busy=${busy ? 'true' : 'false'}>
      <th scope="row">
        <span class="name">${row.label}</span>
        ${row.named ? html`<span class="key mono">${row.key}</span>` : nothing}
      </th>
      <td><span class="chip ${row.tone}" data-field="status">${row.statusLabel}</span></td>
      <td>
        <div class="weights" aria-hidden="true">
          ${row.variants.map((v, i) => html`<span class="c${i % 4}" style="flex-grow:${v.weight}"></span>`)}
        </div>
        <span class="variant-list">
          ${row.variants.map(
            (v, i) =>
              html`<span class="variant"
                ><span class="dot c${i % 4}" aria-hidden="true"></span>${v.key}
                <span class="muted">${v.share}</span></span
              >`,
          )}
        </span>
      </td>
      <td class="num" data-field="coverage">${row.coverage}</td>
      <td class="muted updated">${row.updated}</td>
      <td class="row-actions">
        <button
          type="button"
          class="secondary"
          id="rules-${row.key}"
          aria-label="Rules of ${row.label}"
          aria-pressed=${this.rulesKey === row.key ? 'true' : 'false'}
          ?disabled=${!this.connected}
          @click=${() => this.#toggleRules(row.key)}
        >
          Rules
        </button>
        <button
          type="button"
          class="secondary"
          id="history-${row.key}"
          aria-label="History of ${row.label}"
          aria-pressed=${this.historyKey === row.key ? 'true' : 'false'}
          ?disabled=${!this.connected}
          @click=${() => this.#toggleHistory(row.key)}
        >
          History
        </button>
        ${
          row.editable
            ? html`<button
                  type="button"
                  class="secondary"
                  id="edit-${row.key}"
                  aria-label="Edit ${row.label}"
                  ?disabled=${disabled}
                  @click=${() => this.#openEditor(row.experiment, `edit-${row.key}`)}
                >
                  Edit
                </button>
                ${row.actions.map(
                  (action) =>
                    html`<button
                      type="button"
                      class=${action === 'start' ? 'secondary start' : 'secondary caution'}
                      id="${action}-${row.key}"
                      data-action=${action}
                      aria-label="${action === 'start' ? row.startLabel : action === 'stop' ? 'Stop' : 'Archive'} ${row.label}"
                      ?disabled=${disabled}
                      @click=${() => this.#ask(action, row.experiment)}
                    >
                      ${action === 'start' ? row.startLabel : action === 'stop' ? 'Stop' : 'Archive'}
                    </button>`,
                )}`
            : html`<span class="muted">kept for its results</span>`
        }
      </td>
    </tr>`;
  }

  #renderDialog() {
    const pending = this.confirming;
    return confirmDialog({
      question: pending ? confirmationFor(pending.action, pending.experiment) : undefined,
      idPrefix: 'confirm',
      confirmId: 'confirm-ok',
      confirmClass: 'danger',
      close: (confirmed) => this.#closeDialog(confirmed),
    });
  }
}
