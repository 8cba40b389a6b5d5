/** Styles of `<abc-benchmarks>`: the two run cards, the charts side by side, delta tables. */
import { css } from 'lit';

export const benchmarksStyles = css`
  .runs {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(260px, 100%), 1fr));
    gap: 12px;
    margin-bottom: var(--_gap);
  }
  .run {
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 2px);
    padding: 12px;
  }
  .run h3 {
    display: flex;
    justify-content: space-between;
    gap: 8px;
  }
  .run dl {
    display: grid;
    grid-template-columns: repeat(4, minmax(0, 1fr));
    gap: 8px;
    margin: 10px 0 0;
  }
  .run dt {
    color: var(--_muted);
    font-size: 12px;
  }
  .run dd {
    margin: 0;
    font-weight: 600;
    font-size: 16px;
    font-variant-numeric: tabular-nums;
  }
  .charts {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(300px, 100%), 1fr));
    gap: var(--_gap);
    margin-bottom: var(--_gap);
    --abc-chart-height: 220px;
  }
  figure {
    margin: 0;
  }
  figcaption {
    font-weight: 600;
    margin-bottom: 6px;
  }
  section.part {
    margin-top: var(--_gap);
  }
  section.part h3 {
    margin-bottom: 6px;
  }
  .arrow {
    color: var(--_muted);
  }
  .arrow::before {
    content: '→' / '';
  }
  .delta {
    display: block;
    font-size: 12px;
  }
  .delta.better {
    color: var(--_positive);
  }
  .delta.worse {
    color: var(--_negative);
  }
  .delta.same {
    color: var(--_muted);
  }
  .table-wrap {
    overflow-x: auto;
  }
  .note {
    background: var(--_bg);
    border-radius: calc(var(--_radius) - 2px);
    padding: 10px 12px;
    color: var(--_muted);
  }
  .warnings {
    margin: 0;
    padding-left: 28px;
    color: var(--_negative);
  }
`;
