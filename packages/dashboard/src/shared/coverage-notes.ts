/**
 * What a chart says instead of its figures when the rollup status shows its job never computed them, and the note it
 * adds when the job's newest run covered fewer days than the window (see {@link rollupCoverage}).
 */
import { css, html, nothing } from 'lit';
import type { RollupJobName, RollupStatus } from '../api/api-types.js';
import { rollupCommand, rollupCoverage } from './rollup-hint.js';

/** The "Not computed yet" state, with the command that computes the window. */
export function renderNotComputed(windowDays: number) {
  return html`<div class="state empty" role="status" data-state="not-computed">
    <strong>Not computed yet</strong>
    <span>This window has not been rolled up. Compute it with <code>${rollupCommand(windowDays)}</code>.</span>
  </div>`;
}

/** A note when the job's newest run covered fewer days than the window; nothing otherwise. */
export function renderPartialNote(status: RollupStatus | undefined, job: RollupJobName, windowDays: number) {
  if (rollupCoverage(status, job, windowDays) !== 'partial') return nothing;
  const covered = status?.jobs.find((j) => j.job === job)?.last_window_days;
  return html`<p class="coverage-note" data-note="partial">
    The last ${job} rollup covered ${covered} days; older days of this window may be missing. Compute them with
    <code>${rollupCommand(windowDays)}</code>.
  </p>`;
}

export const coverageStyles = css`
  .coverage-note {
    background: var(--_warning-soft);
    color: var(--_warning);
    border-radius: calc(var(--_radius) - 2px);
    padding: 8px 12px;
    font-size: 12.5px;
    margin: 0 0 12px;
  }
`;
