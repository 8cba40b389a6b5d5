/** Styles the admin forms share: labelled inputs, a field's message under it, primary and danger buttons. */
import { css } from 'lit';

export const formStyles = css`
  label,
  .label {
    display: block;
    font-size: 13px;
    font-weight: 600;
    margin-bottom: 4px;
  }
  .hint {
    color: var(--_muted);
    font-size: 12px;
    font-weight: 400;
  }
  input[type='text'],
  input[type='password'],
  input:not([type]),
  input[type='number'],
  select.input {
    width: 100%;
    font: inherit;
    color: inherit;
    background: var(--_surface);
    border: 1px solid color-mix(in srgb, var(--_border) 60%, var(--_muted));
    border-radius: 8px;
    padding: 7px 10px;
  }
  input[readonly] {
    background: var(--_bg);
    color: var(--_muted);
  }
  input[aria-invalid='true'],
  select[aria-invalid='true'] {
    border-color: var(--_negative);
    box-shadow: 0 0 0 1px var(--_negative);
  }
  .field-error {
    color: var(--_negative);
    font-size: 12.5px;
    margin: 4px 0 0;
  }
  .field-error::before {
    content: '⚠ ';
  }
  button.primary,
  button.danger {
    font: inherit;
    font-weight: 600;
    border: 1px solid transparent;
    border-radius: 8px;
    padding: 7px 14px;
    cursor: pointer;
    color: white;
    background: var(--_accent);
  }
  button.danger {
    background: var(--_negative);
  }
  button.primary:hover,
  button.danger:hover {
    filter: brightness(1.08);
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  button.link {
    background: none;
    border: none;
    padding: 0;
    color: var(--_accent);
    cursor: pointer;
    font-weight: 500;
    text-decoration: underline;
    text-underline-offset: 2px;
  }
  .banner {
    border-radius: 8px;
    padding: 10px 12px;
    display: grid;
    gap: 4px;
  }
  .banner.error {
    background: var(--_negative-soft);
    color: var(--_negative);
    border: 1px solid color-mix(in srgb, var(--_negative) 30%, transparent);
  }
  .banner.success {
    background: var(--_positive-soft);
    color: var(--_positive);
  }
  .banner ul {
    margin: 2px 0 0;
    padding-left: 18px;
  }
  .mono {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 12.5px;
  }
`;
