/**
 * `<abc-experiment-history>`: the audit log of one experiment (its changes and its QA overrides), newest first:
 * when, who, what, and which fields changed. It reads through the admin client it is given, so it needs no token
 * of its own.
 */
import { LitElement, html, type PropertyValues } from 'lit';
import type { AdminApi, AuditEntry } from '../../api/admin-api-client.js';
import { describeAdminError, isAdminApiError } from '../../api/admin-api-error.js';
import { emit } from '../../shared/events.js';
import type {} from '../../shared/experiment-events.js';
import { formStyles } from '../../shared/form-styles.js';
import { themeStyles } from '../../shared/theme.js';
import { HISTORY_KINDS, historyRows } from './experiment-history.model.js';
import { historyStyles } from './experiment-history.styles.js';

/** Entries shown; older ones stay in the log (`calicritters audit`, `GET /v1/admin/audit`). */
const PAGE = 20;

/**
 * @fires abc-admin-error - Reading the history failed (`detail.kind` is `unauthorized` when the admin token was refused).
 * @fires abc-history-close - The close button was pressed.
 * @example <abc-experiment-history experiment-key="paywall_copy" .adminApi=${admin}></abc-experiment-history>
 */
export class AbcExperimentHistory extends LitElement {
  static override styles = [themeStyles, formStyles, historyStyles];
  static override properties = {
    experimentKey: { type: String, attribute: 'experiment-key' },
    adminApi: { attribute: false },
    entries: { state: true },
    problem: { state: true },
  };

  /** The experiment whose history is shown. */
  declare experimentKey: string;
  /** The admin client to read the audit log with. */
  declare adminApi: AdminApi | undefined;
  declare protected entries: AuditEntry[] | undefined;
  declare protected problem: string;

  #controller: AbortController | undefined;

  constructor() {
    super();
    this.experimentKey = '';
    this.problem = '';
  }

  /** Reads the history again (after a change). */
  refresh(): void {
    void this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#controller?.abort();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('experimentKey') || changed.has('adminApi')) void this.#load();
  }

  async #load(): Promise<void> {
    const client = this.adminApi;
    this.#controller?.abort();
    if (!client || !this.experimentKey) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.entries = undefined;
    this.problem = '';
    try {
      const page = await client.audit(
        { entity_kind: HISTORY_KINDS, entity_key: this.experimentKey, limit: PAGE },
        controller.signal,
      );
      if (!controller.signal.aborted) this.entries = page.entries;
    } catch (error) {
      if (controller.signal.aborted) return;
      const kind = isAdminApiError(error) ? error.kind : 'unknown';
      emit(this, 'abc-admin-error', {
        source: this.localName,
        kind,
        status: isAdminApiError(error) ? error.status : 0,
        message: error instanceof Error ? error.message : String(error),
        error,
      });
      this.problem = describeAdminError(error).message;
    }
  }

  protected override render() {
    const rows = historyRows(this.entries ?? []);
    return html`<section class="card" aria-labelledby="history-title" aria-busy=${this.entries ? 'false' : 'true'}>
      <div class="header">
        <h3 id="history-title">History of <span class="mono">${this.experimentKey}</span></h3>
        <button type="button" class="secondary" id="history-close" @click=${() => emit(this, 'abc-history-close', {})}>
          Close
        </button>
      </div>
      ${
        this.problem
          ? html`<div class="banner error" role="alert">${this.problem}</div>`
          : this.entries === undefined
            ? html`<div class="state">Loading…</div>`
            : rows.length === 0
              ? html`<div class="state">No recorded changes.</div>`
              : html`<ol>
                  ${rows.map(
                    (row) =>
                      html`<li data-entry=${row.id}>
                        <time class="when" datetime=${row.at}>${row.when}</time>
                        <span class="actor" data-field="actor">${row.actor}</span>
                        <span class="action" data-field="action">${row.action}</span>
                        <span class="fields" data-field="fields">${row.fields.join(', ')}</span>
                      </li>`,
                  )}
                </ol>`
      }
    </section>`;
  }
}
