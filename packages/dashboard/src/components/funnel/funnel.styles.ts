/** Styles of `<abc-funnel>`: step bars with the step-to-step conversion between them. */
import { css } from 'lit';

export const funnelStyles = css`
  .overall {
    text-align: right;
  }
  .overall strong {
    display: block;
    font-size: 22px;
    font-variant-numeric: tabular-nums;
  }
  .overall span {
    color: var(--_muted);
    font-size: 12px;
  }
  ol.steps {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .step {
    display: grid;
    grid-template-columns: minmax(96px, 180px) minmax(0, 1fr) minmax(48px, 90px);
    gap: 12px;
    align-items: center;
  }
  .step-name {
    font-weight: 500;
    overflow-wrap: anywhere;
  }
  .step-index {
    color: var(--_muted);
    font-size: 12px;
    margin-right: 4px;
  }
  .track {
    position: relative;
    height: 30px;
    border-radius: 6px;
    background: var(--_bg);
  }
  .fill {
    position: absolute;
    inset: 0 auto 0 0;
    border-radius: 6px;
    background: linear-gradient(90deg, var(--_chart-1), color-mix(in srgb, var(--_chart-1) 70%, white));
    min-width: 2px;
  }
  .fill-label {
    position: absolute;
    left: 10px;
    top: 50%;
    transform: translateY(-50%);
    font-size: 12px;
    font-weight: 600;
    color: white;
    text-shadow: 0 1px 2px rgb(0 0 0 / 25%);
    white-space: nowrap;
  }
  .fill-label.outside {
    color: var(--_text);
    text-shadow: none;
  }
  .users {
    text-align: right;
    font-variant-numeric: tabular-nums;
    font-weight: 600;
  }
  .between {
    display: grid;
    grid-template-columns: minmax(96px, 180px) minmax(0, 1fr) minmax(48px, 90px);
    gap: 12px;
    padding: 4px 0;
    font-size: 12px;
    color: var(--_muted);
  }
  .between .arrow {
    grid-column: 2 / 4;
    padding-left: 10px;
  }
  .between .drop {
    color: var(--_negative);
  }
  /* Narrow hosts (a sidebar, half a page): the step name goes above its bar. */
  :host([narrow]) .overall {
    text-align: left;
  }
  :host([narrow]) .step {
    grid-template-columns: minmax(0, 1fr) auto;
    row-gap: 4px;
  }
  :host([narrow]) .step-name {
    grid-column: 1 / -1;
  }
  :host([narrow]) .between {
    grid-template-columns: minmax(0, 1fr);
  }
  :host([narrow]) .between > span:first-child {
    display: none;
  }
  :host([narrow]) .between .arrow {
    grid-column: 1;
  }
`;
