/** Styles of `<abc-experiment-manager>`: the token form, the experiment table with its weight bars, the dialog. */
import { css } from 'lit';

export const managerStyles = css`
  :host {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--_gap);
    container-type: inline-size;
  }
  .token-form {
    display: grid;
    gap: 14px;
    max-width: 560px;
  }
  .token-row {
    display: flex;
    gap: 10px;
    align-items: flex-end;
  }
  .token-row .grow {
    flex: 1;
  }
  .tools {
    display: flex;
    align-items: center;
    gap: 10px;
    flex-wrap: wrap;
  }
  .toggle {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-weight: 500;
    margin: 0;
    cursor: pointer;
  }
  .messages {
    display: grid;
    gap: 8px;
  }
  .messages:not(:empty) {
    margin-bottom: 12px;
  }
  .table-scroll {
    overflow-x: auto;
  }
  table.experiments th[scope='row'] {
    min-width: 180px;
  }
  table.experiments .name {
    display: block;
    font-weight: 600;
  }
  table.experiments .key {
    color: var(--_muted);
  }
  table.experiments td,
  table.experiments th {
    padding: 12px 10px;
  }
  .weights {
    display: flex;
    gap: 2px;
    height: 8px;
    width: 180px;
    max-width: 100%;
    border-radius: 999px;
    overflow: hidden;
    margin-bottom: 6px;
  }
  .weights span {
    flex-basis: 0;
    min-width: 2px;
  }
  .variant-list {
    display: flex;
    flex-wrap: wrap;
    gap: 2px 12px;
    font-size: 13px;
  }
  .variant {
    display: inline-flex;
    align-items: center;
    gap: 5px;
    white-space: nowrap;
  }
  .dot {
    display: inline-block;
    width: 8px;
    height: 8px;
    border-radius: 50%;
  }
  .updated {
    white-space: nowrap;
    font-size: 13px;
  }
  .row-actions {
    white-space: nowrap;
    text-align: right;
  }
  .row-actions button {
    margin-left: 4px;
    font-size: 13px;
    padding: 4px 10px;
  }
  button.start {
    color: var(--_positive);
  }
  button.caution {
    color: var(--_negative);
  }
  .chip.warning {
    background: var(--_warning-soft);
    color: var(--_warning);
  }
  dialog {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 22px;
    max-width: 440px;
    color: var(--_text);
    background: var(--_surface);
    box-shadow: 0 12px 32px rgb(16 24 40 / 18%);
  }
  dialog::backdrop {
    background: rgb(16 24 40 / 35%);
  }
  dialog p {
    color: var(--_muted);
    margin: 8px 0 18px;
  }
  .dialog-actions {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
  }
  /* Narrow: each experiment becomes a block — name and status, then weights, then its buttons. */
  @container (max-width: 720px) {
    table.experiments thead {
      display: none;
    }
    table.experiments tr {
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto;
      gap: 6px 10px;
      padding: 12px 0;
      border-bottom: 1px solid var(--_border);
    }
    table.experiments tbody tr:last-child {
      border-bottom: none;
    }
    table.experiments th,
    table.experiments td {
      display: block;
      padding: 0;
      border: none;
      text-align: left;
    }
    table.experiments th[scope='row'] {
      min-width: 0;
    }
    table.experiments td:nth-child(3) {
      grid-column: 1 / -1;
    }
    table.experiments td[data-field='coverage']::before {
      content: 'Coverage ';
      color: var(--_muted);
    }
    table.experiments td.row-actions {
      grid-column: 1 / -1;
      text-align: left;
    }
    .row-actions button:first-child {
      margin-left: 0;
    }
  }
`;
