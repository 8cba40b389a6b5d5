/**
 * Styles every component shares. Pages theme through `--abc-*` custom properties set anywhere above the element
 * (or on it); each is read once into a private `--_*` variable with its default, so a page value always wins.
 */
import { css } from 'lit';

export const themeStyles = css`
  :host {
    --_font: var(--abc-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif);
    --_text: var(--abc-color-text, #1d2433);
    --_muted: var(--abc-color-muted, #5f6b7c);
    --_bg: var(--abc-color-background, #f5f6fa);
    --_surface: var(--abc-color-surface, #ffffff);
    --_border: var(--abc-color-border, #e3e6ee);
    --_accent: var(--abc-color-accent, #5b5bd6);
    --_accent-soft: var(--abc-color-accent-soft, #ececfd);
    --_positive: var(--abc-color-positive, #137a52);
    --_positive-soft: var(--abc-color-positive-soft, #e3f5ec);
    --_negative: var(--abc-color-negative, #c2410c);
    --_negative-soft: var(--abc-color-negative-soft, #fdece4);
    --_warning: var(--abc-color-warning, #8a5300);
    --_warning-soft: var(--abc-color-warning-soft, #fff4db);
    --_chart-1: var(--abc-chart-color-1, #5b5bd6);
    --_chart-2: var(--abc-chart-color-2, #1ea3b8);
    --_chart-3: var(--abc-chart-color-3, #e08a2c);
    --_chart-4: var(--abc-chart-color-4, #9aa3b5);
    --_radius: var(--abc-radius, 10px);
    --_gap: var(--abc-spacing, 16px);
    --_shadow: var(--abc-shadow, 0 1px 2px rgb(16 24 40 / 6%), 0 1px 3px rgb(16 24 40 / 4%));
    display: block;
    font-family: var(--_font);
    color: var(--_text);
    font-size: 14px;
    line-height: 1.45;
  }
  :host([hidden]) {
    display: none;
  }
  * {
    box-sizing: border-box;
  }
  .card {
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: var(--_shadow);
    padding: var(--_gap);
    /* A table wider than a narrow card scrolls inside the card instead of pushing the page wider; positioned, so
       visually hidden captions (absolutely positioned) stay inside it too. */
    overflow-x: auto;
    position: relative;
  }
  h2,
  h3 {
    margin: 0;
    font-weight: 600;
    letter-spacing: -0.01em;
  }
  h2 {
    font-size: 16px;
  }
  h3 {
    font-size: 14px;
  }
  .subtitle {
    color: var(--_muted);
    font-size: 13px;
    margin: 2px 0 0;
  }
  .header {
    display: flex;
    align-items: flex-start;
    justify-content: space-between;
    gap: var(--_gap);
    flex-wrap: wrap;
    margin-bottom: 12px;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }
  caption {
    text-align: left;
    font-weight: 600;
    padding: 0 0 8px;
  }
  th,
  td {
    padding: 8px 10px;
    border-bottom: 1px solid var(--_border);
    text-align: left;
    vertical-align: middle;
  }
  thead th {
    color: var(--_muted);
    font-weight: 500;
    font-size: 12px;
    line-height: 1.3;
  }
  tbody th {
    font-weight: 500;
  }
  td.num,
  th.num {
    text-align: right;
  }
  tbody tr:last-child > * {
    border-bottom: none;
  }
  .state {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 6px;
    min-height: 140px;
    padding: 24px;
    text-align: center;
    color: var(--_muted);
  }
  .state strong {
    color: var(--_text);
    font-size: 15px;
  }
  .state.error {
    background: var(--_negative-soft);
    border-radius: calc(var(--_radius) - 2px);
    color: var(--_negative);
  }
  .state.error strong {
    color: var(--_negative);
  }
  .spinner {
    width: 22px;
    height: 22px;
    border-radius: 50%;
    border: 3px solid var(--_accent-soft);
    border-top-color: var(--_accent);
    animation: spin 0.9s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
  }
  button,
  select {
    font: inherit;
    color: inherit;
  }
  button.secondary,
  select {
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: 8px;
    padding: 6px 10px;
    cursor: pointer;
  }
  button.secondary:hover {
    border-color: var(--_accent);
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 1px 8px;
    border-radius: 999px;
    font-size: 12px;
    font-weight: 500;
    background: var(--_accent-soft);
    color: var(--_accent);
    white-space: nowrap;
  }
  .chip.positive {
    background: var(--_positive-soft);
    color: var(--_positive);
  }
  .chip.negative {
    background: var(--_negative-soft);
    color: var(--_negative);
  }
  .chip.neutral {
    background: var(--_bg);
    color: var(--_muted);
  }
  .positive {
    color: var(--_positive);
  }
  .negative {
    color: var(--_negative);
  }
  .muted {
    color: var(--_muted);
  }
  details.table-alt > summary {
    cursor: pointer;
    color: var(--_muted);
    font-size: 13px;
    margin: 8px 0;
  }
  /* A variant's colour by its place in the definition (control first): split bars, dots, chart lines. */
  .c0 {
    background: var(--_chart-1);
  }
  .c1 {
    background: var(--_chart-2);
  }
  .c2 {
    background: var(--_chart-3);
  }
  .c3 {
    background: var(--_chart-4);
  }
  .chart-box {
    position: relative;
    height: var(--abc-chart-height, 260px);
  }
`;
