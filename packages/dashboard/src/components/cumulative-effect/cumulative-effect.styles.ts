/** Styles of `<abc-cumulative-effect>`: heading with the variant legend, the chart, its caption and table. */
import { css } from 'lit';

export const cumulativeEffectStyles = css`
  .trend {
    margin: 0;
  }
  .head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 4px 16px;
    margin-bottom: 8px;
  }
  h4 {
    margin: 0;
    font-size: 13px;
    font-weight: 600;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 14px;
    list-style: none;
    margin: 0;
    padding: 0;
    font-size: 13px;
  }
  .legend li {
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
  .swatch {
    display: inline-block;
    width: 16px;
    height: 3px;
    border-radius: 2px;
  }
  .message {
    margin: 0;
    padding: 16px;
    border-radius: calc(var(--_radius) - 2px);
    background: var(--_bg);
    color: var(--_muted);
    text-align: center;
  }
  figcaption {
    color: var(--_muted);
    font-size: 12px;
    margin-top: 6px;
  }
  figcaption strong {
    color: var(--_text);
    font-weight: 500;
  }
  .days th,
  .days td {
    padding: 4px 8px;
    font-size: 12px;
  }
`;
