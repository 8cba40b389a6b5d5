/**
 * The confirmation a component asks before a change that affects users (stop, archive, release): a native
 * `<dialog>` whose Cancel, Escape and confirm button all end in `close(confirmed)`. Ids are `<prefix>-title`,
 * `<prefix>-message`, `<prefix>-cancel` and `confirmId`, so each component keeps the ids its tests and labels use.
 */
import { html, nothing } from 'lit';

/** What the dialog asks. */
interface ConfirmQuestion {
  title: string;
  message: string;
  confirmLabel: string;
}

export interface ConfirmDialogOptions {
  /** Undefined renders an empty dialog (closed, nothing to ask). */
  question: ConfirmQuestion | undefined;
  idPrefix: string;
  confirmId: string;
  /** The confirm button's look: `primary`, or `danger` for what cannot be taken back lightly. */
  confirmClass: 'primary' | 'danger';
  close(confirmed: boolean): void;
}

export function confirmDialog({ question, idPrefix, confirmId, confirmClass, close }: ConfirmDialogOptions) {
  return html`<dialog
    aria-labelledby="${idPrefix}-title"
    aria-describedby="${idPrefix}-message"
    @cancel=${(e: Event) => {
      e.preventDefault();
      close(false);
    }}
  >
    ${
      question
        ? html`<h2 id="${idPrefix}-title">${question.title}</h2>
            <p id="${idPrefix}-message">${question.message}</p>
            <div class="dialog-actions">
              <button type="button" class="secondary" id="${idPrefix}-cancel" autofocus @click=${() => close(false)}>
                Cancel
              </button>
              <button type="button" class=${confirmClass} id=${confirmId} @click=${() => close(true)}>
                ${question.confirmLabel}
              </button>
            </div>`
        : nothing
    }
  </dialog>`;
}
