/** Styles of `<abc-experiment-editor>`: a two-column field grid, the variant rows with their split bar. */
import { css } from 'lit';

export const editorStyles = css`
  form {
    display: grid;
    gap: 18px;
    padding: 20px 22px;
  }
  form > .header {
    margin-bottom: 0;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(240px, 1fr));
    gap: 14px 20px;
  }
  .field .hint {
    margin: 4px 0 0;
  }
  .with-unit {
    display: flex;
    align-items: center;
    gap: 8px;
  }
  .with-unit .unit {
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
    min-width: 3.5em;
  }
  fieldset.variants {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    margin: 0;
    padding: 12px 16px 16px;
    display: grid;
    gap: 10px;
  }
  legend {
    font-weight: 600;
    padding: 0 6px;
    margin-left: -6px;
  }
  #variants-hint {
    margin: 0;
  }
  .split-bar {
    display: flex;
    height: 10px;
    border-radius: 999px;
    overflow: hidden;
    background: var(--_bg);
    gap: 2px;
  }
  .split-bar span {
    flex-basis: 0;
    min-width: 3px;
  }
  .dot {
    display: inline-block;
    width: 10px;
    height: 10px;
    border-radius: 50%;
  }
  .variant-table {
    max-width: 720px;
  }
  .variant-table th,
  .variant-table td {
    vertical-align: top;
    border-bottom: none;
    padding: 6px 10px 6px 0;
  }
  .variant-table td:first-child,
  .variant-table th:first-child {
    width: 18px;
  }
  .variant-table td:first-child {
    padding-top: 15px;
  }
  .variant-table .key-cell {
    display: flex;
    align-items: center;
    gap: 8px;
  }
  .variant-table .role {
    flex: 0 0 64px;
  }
  .split-bar,
  .variant-tools,
  #variants-hint {
    max-width: 720px;
  }
  .variant-table td:nth-child(3),
  .variant-table th:nth-child(3) {
    width: 150px;
  }
  .variant-table td.share {
    width: 64px;
    padding-top: 14px;
    color: var(--_muted);
  }
  .variant-table td:last-child {
    width: 40px;
  }
  .variant-table tr.row-error td {
    padding-top: 0;
  }
  button.icon {
    background: none;
    border: 1px solid transparent;
    border-radius: 8px;
    width: 34px;
    height: 34px;
    cursor: pointer;
    color: var(--_muted);
  }
  button.icon:hover:not(:disabled) {
    color: var(--_negative);
    border-color: var(--_border);
  }
  .variant-tools {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  .total {
    margin-left: auto;
    font-variant-numeric: tabular-nums;
    font-weight: 600;
  }
  .total.ok {
    color: var(--_positive);
  }
  .total.off {
    color: var(--_negative);
  }
  .actions {
    display: flex;
    justify-content: flex-end;
    align-items: center;
    gap: 10px;
    border-top: 1px solid var(--_border);
    padding-top: 16px;
  }
  .summary:focus {
    outline: 2px solid var(--_negative);
    outline-offset: 2px;
  }
  .variant-table tr.payload-row td {
    padding-top: 0;
    padding-bottom: 12px;
  }
  .variant-table tr.payload-row td:last-child {
    width: auto;
  }
  .payload-label {
    font-weight: 500;
    font-size: 12.5px;
  }
  textarea {
    width: 100%;
    box-sizing: border-box;
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 12.5px;
    color: inherit;
    background: var(--_surface);
    border: 1px solid color-mix(in srgb, var(--_border) 60%, var(--_muted));
    border-radius: 8px;
    padding: 6px 10px;
    resize: vertical;
  }
  textarea[aria-invalid='true'] {
    border-color: var(--_negative);
    box-shadow: 0 0 0 1px var(--_negative);
  }
`;
