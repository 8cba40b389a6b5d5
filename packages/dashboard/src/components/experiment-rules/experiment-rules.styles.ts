/** Styles of `<abc-experiment-rules>`: a definition grid of the rules, payload cards, the release row and dialog. */
import { css } from 'lit';

export const rulesStyles = css`
  :host {
    display: block;
  }
  .header {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 10px;
  }
  .title {
    display: flex;
    align-items: center;
    gap: 10px;
    flex-wrap: wrap;
  }
  h3,
  h4 {
    margin: 0;
  }
  h4 {
    margin: 18px 0 8px;
    font-size: 14px;
  }
  .state-detail {
    color: var(--_muted);
    margin: 6px 0 12px;
  }
  .banner {
    margin: 10px 0;
  }
  .chip.accent {
    background: var(--_accent-soft);
    color: var(--_accent);
  }
  .chip.warning {
    background: var(--_warning-soft);
    color: var(--_warning);
  }
  dl.rules {
    display: grid;
    grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
    gap: 0 24px;
    margin: 0;
  }
  dl.rules > div {
    display: grid;
    grid-template-columns: 8.5em minmax(0, 1fr);
    gap: 10px;
    padding: 9px 0;
    border-top: 1px solid var(--_border);
  }
  dl.rules > div:first-child {
    grid-column: 1 / -1;
  }
  dt {
    color: var(--_muted);
    font-size: 13px;
    font-weight: 600;
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .words {
    display: block;
    font-weight: 600;
  }
  .raw {
    display: block;
    color: var(--_muted);
    margin-top: 4px;
  }
  .line {
    display: block;
  }
  ul.variants {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
    gap: 10px;
  }
  ul.variants li {
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 2px);
    padding: 10px 12px;
    min-width: 0;
  }
  ul.variants li.released {
    border-color: var(--_accent);
    box-shadow: 0 0 0 1px var(--_accent);
  }
  .variant-head {
    display: flex;
    align-items: center;
    gap: 6px;
    margin-bottom: 6px;
  }
  .dot {
    display: inline-block;
    width: 8px;
    height: 8px;
    border-radius: 50%;
  }
  .muted,
  .no-payload {
    color: var(--_muted);
    font-size: 13px;
  }
  pre.payload {
    margin: 0;
    padding: 8px 10px;
    background: var(--_bg);
    border-radius: 6px;
    max-height: 180px;
    overflow: auto;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  details summary {
    cursor: pointer;
    font-size: 12.5px;
    color: var(--_accent);
    margin-top: 4px;
  }
  .release {
    display: flex;
    align-items: flex-end;
    gap: 10px;
    margin-top: 16px;
    padding-top: 14px;
    border-top: 1px solid var(--_border);
    flex-wrap: wrap;
  }
  .release select {
    min-width: 180px;
  }
  dialog {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 22px;
    max-width: 460px;
    color: var(--_text);
    background: var(--_surface);
    box-shadow: 0 12px 32px rgb(16 24 40 / 18%);
  }
  dialog::backdrop {
    background: rgb(16 24 40 / 35%);
  }
  dialog h2 {
    margin: 0;
    font-size: 18px;
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
  @container (max-width: 720px) {
    dl.rules {
      grid-template-columns: minmax(0, 1fr);
    }
  }
`;
