/**
 * Base of every component that loads from the API: the shared attributes (`api-base-url`, `token`, `window-days`,
 * plus `tokenProvider` / `api` properties), one request at a time (a newer one aborts the older), and the loading,
 * empty and error states. A subclass says what to fetch, when the result is empty, and how to show it.
 */
import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { DEFAULT_WINDOW_DAYS } from '@ab-calicritters/core';
import { createDashboardApi, type DashboardApi, type TokenProvider } from '../api/api-client.js';
import { describeApiError, isDashboardApiError } from '../api/api-error.js';
import { emit } from './events.js';
import { formatWithinWindow } from './format.js';

/** Where a data component is: nothing to load yet, waiting, showing data, nothing to show, or failed. */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'empty' | 'error';

/** Below this width (px) an element sets its `narrow` attribute. */
const NARROW_BELOW_PX = 600;

/** The window every component uses unless told otherwise (core's, as the server's endpoints). */
export { DEFAULT_WINDOW_DAYS };

/**
 * @fires abc-load - Data arrived and is shown (`detail.source`: the element's tag name).
 * @fires abc-error - A request failed; the element shows its error state too (`detail.kind` is `unauthorized` for a wrong token).
 */
export abstract class AbcDataElement<T> extends LitElement {
  static override properties: PropertyDeclarations = {
    apiBaseUrl: { type: String, attribute: 'api-base-url' },
    token: { type: String },
    tokenProvider: { attribute: false },
    api: { attribute: false },
    windowDays: { type: Number, attribute: 'window-days' },
    narrow: { type: Boolean, reflect: true },
    status: { state: true },
    data: { state: true },
    error: { state: true },
  };

  /** Server origin (and prefix); empty means this page's origin. */
  declare apiBaseUrl: string;
  /** The dashboard token, sent as `x-dashboard-token`. */
  declare token: string | undefined;
  /** Asked for the token before every request; wins over `token`. */
  declare tokenProvider: TokenProvider | undefined;
  /** A ready client (e.g. with a custom fetch); wins over the three above. */
  declare api: DashboardApi | undefined;
  /** Days in the window, today included (default 7). */
  declare windowDays: number;
  /** Set (and reflected) while the element is narrower than {@link NARROW_BELOW_PX}; styles adapt to it. */
  declare narrow: boolean;
  declare protected status: LoadStatus;
  declare protected data: T | undefined;
  declare protected error: unknown;

  #controller: AbortController | undefined;
  #built:
    | { client: DashboardApi; baseUrl: string; token: string | undefined; tokenProvider: TokenProvider | undefined }
    | undefined;
  #interrupted = false;
  // Its own width, not the viewport's, decides the layout: the element may sit in a sidebar of a wide page.
  #resize =
    typeof ResizeObserver === 'function'
      ? new ResizeObserver(([entry]) => {
          const narrow = (entry?.contentRect.width ?? Infinity) < NARROW_BELOW_PX;
          if (narrow !== this.narrow) this.narrow = narrow;
        })
      : undefined;

  constructor() {
    super();
    this.apiBaseUrl = '';
    this.windowDays = DEFAULT_WINDOW_DAYS;
    this.status = 'idle';
    this.narrow = false;
  }

  /** Fetches the component's data. */
  protected abstract fetchData(api: DashboardApi, signal: AbortSignal): Promise<T>;

  /** True when loaded data has nothing to show. */
  protected abstract isEmpty(data: T): boolean;

  /** Properties besides the shared ones whose change means a new request. */
  protected reloadKeys(): readonly string[] {
    return [];
  }

  /** False while a required input (an experiment key, …) is missing: the component then shows {@link renderIdle}. */
  protected canLoad(): boolean {
    return true;
  }

  /** Loads again, e.g. after new data was rolled up. */
  refresh(): void {
    this.#load();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#resize?.observe(this);
    if (this.#interrupted) this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize?.disconnect();
    if (this.#controller && this.status === 'loading') this.#interrupted = true;
    this.#controller?.abort();
    this.#controller = undefined;
  }

  protected override willUpdate(changed: PropertyValues): void {
    const keys = ['apiBaseUrl', 'token', 'tokenProvider', 'api', 'windowDays', ...this.reloadKeys()];
    if (!this.hasUpdated || keys.some((k) => changed.has(k))) this.#load();
  }

  #load(): void {
    this.#interrupted = false;
    this.#controller?.abort();
    this.#controller = undefined;
    if (!this.canLoad()) {
      this.status = 'idle';
      this.data = undefined;
      return;
    }
    const controller = new AbortController();
    this.#controller = controller;
    this.status = 'loading';
    const source = this.localName;
    Promise.resolve()
      .then(() => this.fetchData(this.client, controller.signal))
      .then(
        (data) => {
          if (controller.signal.aborted) return;
          this.data = data;
          this.error = undefined;
          this.status = this.isEmpty(data) ? 'empty' : 'ready';
          emit(this, 'abc-load', { source });
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          this.error = error;
          this.data = undefined;
          this.status = 'error';
          const api = isDashboardApiError(error) ? error : undefined;
          emit(this, 'abc-error', {
            source,
            kind: api?.kind ?? 'unknown',
            status: api?.status ?? 0,
            message: error instanceof Error ? error.message : String(error),
            error,
          });
        },
      );
  }

  /**
   * The client every request of this element goes through, and the one `<abc-dashboard>` hands to its views: the
   * `api` property when set, else one client made by {@link createDashboardApi} from `api-base-url`, `token` and
   * `tokenProvider`, kept until one of them changes.
   */
  protected get client(): DashboardApi {
    if (this.api) return this.api;
    const { apiBaseUrl: baseUrl, token, tokenProvider } = this;
    const built = this.#built;
    if (built?.baseUrl !== baseUrl || built.token !== token || built.tokenProvider !== tokenProvider) {
      this.#built = { client: createDashboardApi({ baseUrl, token, tokenProvider }), baseUrl, token, tokenProvider };
    }
    return this.#built!.client;
  }

  /** The window in words: "last 7 days" / "today". */
  protected windowLabel(): string {
    return this.windowDays === 1 ? 'today (UTC)' : `last ${this.windowDays} days`;
  }

  /** The window at the end of a sentence: "in the last 7 days" / "today (UTC)". */
  protected withinWindow(): string {
    return formatWithinWindow(this.windowDays);
  }

  /** Loading, empty, idle or error block; `nothing` once data is shown (a reload keeps the old data visible). */
  protected renderState(
    emptyText: TemplateResult | string,
    idleText: TemplateResult | string = '',
  ): TemplateResult | typeof nothing {
    if (this.status === 'loading' && this.data === undefined) {
      return html`<div class="state loading" role="status">
        <span class="spinner" aria-hidden="true"></span>Loading…
      </div>`;
    }
    if (this.status === 'idle') return html`<div class="state idle">${idleText}</div>`;
    if (this.status === 'empty')
      return html`<div class="state empty" role="status"><strong>No data yet</strong>${emptyText}</div>`;
    if (this.status === 'error') {
      const { title, message } = describeApiError(this.error);
      const kind = isDashboardApiError(this.error) ? this.error.kind : 'unknown';
      return html`<div class="state error" role="alert" data-kind=${kind}>
        <strong>${title}</strong><span>${message}</span>
        <button class="secondary" @click=${() => this.refresh()}>Try again</button>
      </div>`;
    }
    return nothing;
  }

  /** True when data is there to show (also while a reload is in flight). */
  protected get hasData(): boolean {
    return this.data !== undefined && (this.status === 'ready' || this.status === 'loading');
  }
}
