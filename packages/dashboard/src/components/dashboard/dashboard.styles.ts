/** Styles of `<abc-dashboard>`: the app bar, the tab strip, and the panels' grids. */
import { css } from 'lit';

export const dashboardStyles = css`
  :host {
    background: var(--_bg);
    min-height: 100%;
  }
  .bar {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_gap);
    flex-wrap: wrap;
    padding: 14px 24px 0;
  }
  .brand {
    display: flex;
    align-items: center;
    gap: 10px;
  }
  .brand h1 {
    margin: 0;
    font-size: 18px;
    font-weight: 650;
    letter-spacing: -0.01em;
  }
  .mark {
    width: 28px;
    height: 28px;
    border-radius: 8px;
    background: linear-gradient(135deg, var(--_chart-1), var(--_chart-2));
    display: grid;
    place-items: center;
    color: white;
    font-weight: 700;
    font-size: 13px;
  }
  .tools {
    display: flex;
    align-items: center;
    gap: 8px;
    color: var(--_muted);
    font-size: 13px;
  }
  [role='tablist'] {
    display: flex;
    gap: 4px;
    padding: 0 24px;
    margin-top: 10px;
    border-bottom: 1px solid var(--_border);
    /* On a phone the tabs wrap onto a second line rather than hide behind the edge. */
    flex-wrap: wrap;
  }
  [role='tab'] {
    appearance: none;
    background: none;
    border: none;
    border-bottom: 2px solid transparent;
    padding: 10px 12px;
    margin-bottom: -1px;
    cursor: pointer;
    color: var(--_muted);
    font-weight: 500;
    white-space: nowrap;
  }
  [role='tab']:hover {
    color: var(--_text);
  }
  [role='tab'][aria-selected='true'] {
    color: var(--_accent);
    border-bottom-color: var(--_accent);
    font-weight: 600;
  }
  [role='tabpanel'] {
    padding: 20px 24px 28px;
    display: grid;
    /* minmax(0, …): a view never grows wider than the panel because of a wide table; the table scrolls instead. */
    grid-template-columns: minmax(0, 1fr);
    gap: var(--_gap);
  }
  :host([narrow]) .bar {
    padding: 12px 12px 0;
  }
  :host([narrow]) [role='tablist'] {
    padding: 0 8px;
  }
  :host([narrow]) [role='tab'] {
    padding: 10px 8px;
  }
  :host([narrow]) [role='tabpanel'] {
    padding: 12px 12px 20px;
  }
  [role='tabpanel'][hidden] {
    display: none;
  }
  .two {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(340px, 100%), 1fr));
    gap: var(--_gap);
    align-items: start;
  }
  .split {
    display: grid;
    grid-template-columns: minmax(200px, 260px) minmax(0, 1fr);
    gap: var(--_gap);
    align-items: start;
  }
  @media (max-width: 760px) {
    .split {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  .picker {
    padding: 8px;
  }
  .picker h2 {
    padding: 6px 8px 8px;
    font-size: 13px;
    color: var(--_muted);
    font-weight: 500;
    text-transform: uppercase;
    letter-spacing: 0.03em;
  }
  .picker ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 2px;
  }
  .picker button {
    width: 100%;
    text-align: left;
    background: none;
    border: none;
    border-radius: 8px;
    padding: 8px 10px;
    cursor: pointer;
    display: grid;
    gap: 2px;
  }
  .picker button:hover {
    background: var(--_bg);
  }
  .picker button[aria-current='true'] {
    background: var(--_accent-soft);
  }
  .picker .name {
    font-weight: 600;
  }
  .picker .meta {
    color: var(--_muted);
    font-size: 12px;
    display: flex;
    gap: 6px;
    align-items: center;
    flex-wrap: wrap;
  }
  button.link {
    background: none;
    border: none;
    color: var(--_accent);
    cursor: pointer;
    padding: 0;
    font-weight: 500;
  }
  .note {
    color: var(--_muted);
    font-size: 12px;
    margin: 10px 0 0;
  }
  .stack {
    display: grid;
    gap: var(--_gap);
  }
`;
