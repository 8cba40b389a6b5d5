/**
 * The freshness line under the dashboard's title: a coloured dot and one sentence ("Updated 3 min ago · next
 * refresh in 2 min"), opening onto each rollup job's state, last run and error.
 */
import { css, html } from 'lit';
import { rollupCommand } from '../../shared/rollup-hint.js';
import type { Freshness } from './dashboard.freshness.js';

const STATE_WORDS = { fresh: 'up to date', stale: 'out of date', failed: 'last run failed', never: 'not computed' };

/** The line, or nothing to render when there is no status. */
export function renderFreshness(freshness: Freshness, windowDays: number) {
  const warning = freshness.state !== 'fresh';
  return html`<details class="freshness" data-freshness data-state=${freshness.state}>
    <summary title="Rollup jobs: when each last ran">
      <span class="dot" aria-hidden="true"></span>
      <span class="freshness-text">${freshness.text}</span>
      <span class="visually-hidden">${warning ? ' (warning)' : ''}, show each rollup job</span>
    </summary>
    <div class="freshness-panel">
      <ul aria-label="Rollup jobs">
        ${freshness.jobs.map(
          (j) =>
            html`<li data-job=${j.job} data-state=${j.state}>
              <span class="dot" aria-hidden="true"></span>
              <span class="job-name">${j.label}</span>
              <span class="job-state">${STATE_WORDS[j.state]}</span>
              <span class="job-detail"
                ><span class="job-text">${j.text}</span> · <span class="job-run">${j.lastRun}</span></span
              >
            </li>`,
        )}
      </ul>
      ${
        freshness.jobs.some((j) => j.state === 'never')
          ? html`<p class="freshness-hint">Compute now with <code>${rollupCommand(windowDays)}</code>.</p>`
          : ''
      }
    </div>
  </details>`;
}

export const freshnessStyles = css`
  .freshness {
    position: relative;
    font-size: 12.5px;
    color: var(--_muted);
    margin-top: 2px;
  }
  .freshness summary {
    display: inline-flex;
    align-items: center;
    gap: 7px;
    cursor: pointer;
    list-style: none;
    padding: 2px 8px 2px 6px;
    margin-left: -6px;
    border-radius: 999px;
  }
  .freshness summary::-webkit-details-marker {
    display: none;
  }
  .freshness summary:hover {
    background: var(--_surface);
  }
  .freshness:not([data-state='fresh']) summary {
    background: var(--_warning-soft);
    color: var(--_warning);
    font-weight: 550;
  }
  .freshness[data-state='failed'] summary {
    background: var(--_negative-soft);
    color: var(--_negative);
  }
  .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    flex: none;
    background: var(--_positive);
    box-shadow: 0 0 0 3px var(--_positive-soft);
  }
  [data-state='stale'] > .dot,
  [data-state='never'] > .dot,
  .freshness[data-state='stale'] summary .dot,
  .freshness[data-state='never'] summary .dot {
    background: #d08b00;
    box-shadow: 0 0 0 3px var(--_warning-soft);
  }
  [data-state='failed'] > .dot,
  .freshness[data-state='failed'] summary .dot {
    background: var(--_negative);
    box-shadow: 0 0 0 3px var(--_negative-soft);
  }
  .freshness-panel {
    position: absolute;
    z-index: 10;
    top: calc(100% + 6px);
    left: -6px;
    min-width: min(440px, 90vw);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 8px 24px rgb(16 24 40 / 12%);
    padding: 10px 14px;
    color: var(--_text);
  }
  .freshness-panel ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 8px;
  }
  .freshness-panel li {
    display: grid;
    grid-template-columns: 14px 1fr auto;
    column-gap: 6px;
    align-items: center;
  }
  .freshness-panel .job-name {
    font-weight: 600;
  }
  .freshness-panel .job-state {
    color: var(--_muted);
    font-size: 12px;
  }
  .freshness-panel .job-detail {
    grid-column: 2 / 4;
    color: var(--_muted);
    font-size: 12px;
    overflow-wrap: anywhere;
  }
  .freshness-panel li[data-state='failed'] .job-state {
    color: var(--_negative);
  }
  .freshness-hint {
    margin: 10px 0 0;
    color: var(--_muted);
  }
`;
