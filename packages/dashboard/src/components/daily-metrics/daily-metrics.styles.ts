/** Styles of `<abc-daily-metrics>`: headline figures, the chart beside the top-events table. */
import { css } from 'lit';

export const dailyMetricsStyles = css`
  .kpis {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(140px, 1fr));
    gap: 12px;
    margin: 0 0 var(--_gap);
  }
  .kpi {
    background: var(--_bg);
    border-radius: calc(var(--_radius) - 2px);
    padding: 10px 12px;
  }
  .kpi dt {
    color: var(--_muted);
    font-size: 12px;
  }
  .kpi dd {
    margin: 2px 0 0;
    font-size: 22px;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .kpi dd small {
    font-size: 12px;
    font-weight: 400;
    color: var(--_muted);
  }
  .body {
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(240px, 2fr);
    gap: calc(var(--_gap) * 1.5);
    /* Opening the daily table makes the chart column taller; the top-events rows keep their own height. */
    align-items: start;
  }
  @media (max-width: 860px) {
    .body {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  figure {
    margin: 0;
  }
  .partial {
    color: var(--_muted);
    font-weight: 400;
    font-size: 12px;
  }
  .share {
    display: block;
    height: 4px;
    margin-top: 4px;
    border-radius: 2px;
    background: var(--_accent);
    opacity: 0.55;
  }
`;
