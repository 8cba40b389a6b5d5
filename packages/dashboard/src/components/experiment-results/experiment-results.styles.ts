/** Styles of `<abc-experiment-results>`: SRM banner, verdict lines, the variant table with lift-interval bars. */
import { css } from 'lit';

export const experimentResultsStyles = css`
  .controls {
    display: flex;
    gap: 8px;
    align-items: center;
    flex-wrap: wrap;
  }
  .controls label {
    color: var(--_muted);
    font-size: 13px;
  }
  .segmented {
    display: inline-flex;
    border: 1px solid var(--_border);
    border-radius: 8px;
    overflow: hidden;
  }
  .segmented button {
    border: none;
    background: var(--_surface);
    padding: 6px 10px;
    cursor: pointer;
  }
  .segmented button[aria-pressed='true'] {
    background: var(--_accent-soft);
    color: var(--_accent);
    font-weight: 600;
  }
  .srm {
    display: flex;
    gap: 10px;
    align-items: flex-start;
    background: var(--_warning-soft);
    color: var(--_warning);
    border-radius: calc(var(--_radius) - 2px);
    padding: 10px 12px;
    margin-bottom: 12px;
  }
  .srm strong {
    display: block;
  }
  .verdicts {
    list-style: none;
    margin: 0 0 var(--_gap);
    padding: 0;
    display: grid;
    gap: 8px;
  }
  .verdict {
    display: flex;
    gap: 10px;
    align-items: baseline;
    padding: 10px 12px;
    border-radius: calc(var(--_radius) - 2px);
    background: var(--_bg);
    font-size: 14px;
  }
  .verdict[data-outcome='better'] {
    background: var(--_positive-soft);
  }
  .verdict[data-outcome='worse'] {
    background: var(--_negative-soft);
  }
  .verdict .mark {
    font-weight: 700;
  }
  .ci-bar {
    position: relative;
    height: 18px;
    min-width: 160px;
  }
  .ci-bar .axis {
    position: absolute;
    top: 8px;
    left: 0;
    right: 0;
    height: 2px;
    background: var(--_border);
  }
  .ci-bar .zero {
    position: absolute;
    top: 1px;
    bottom: 1px;
    width: 1px;
    background: var(--_muted);
  }
  .ci-bar .range {
    position: absolute;
    top: 5px;
    height: 8px;
    border-radius: 4px;
    background: var(--_muted);
    opacity: 0.55;
  }
  .ci-bar .range.positive {
    background: var(--_positive);
  }
  .ci-bar .range.negative {
    background: var(--_negative);
  }
  .ci-bar .point {
    position: absolute;
    top: 3px;
    width: 3px;
    height: 12px;
    margin-left: -1px;
    border-radius: 1px;
    background: var(--_text);
  }
  .ci-text {
    display: block;
    font-size: 12px;
    color: var(--_muted);
  }
  .variant-name {
    font-weight: 600;
  }
  .table-wrap {
    overflow-x: auto;
  }
  :host([narrow]) .ci-bar {
    min-width: 90px;
  }
  :host([narrow]) th,
  :host([narrow]) td {
    padding: 6px;
  }
  .footnote {
    color: var(--_muted);
    font-size: 12px;
    margin: 10px 0 0;
  }
  .method {
    font-size: 13px;
    margin: 8px 0 0;
  }
  .power {
    font-size: 13px;
    list-style: none;
    margin: 4px 0 0;
    padding: 0;
  }
  .power li {
    margin: 2px 0;
  }
  .catalog-title {
    margin: 20px 0 4px;
    font-size: 15px;
  }
  .chip.warning,
  .warning {
    background: var(--_warning-soft);
    color: var(--_warning);
  }
`;
