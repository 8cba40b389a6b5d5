/** Styles of `<abc-experiment-history>`: a compact list of changes under the experiment table. */
import { css } from 'lit';

export const historyStyles = css`
  :host {
    display: block;
  }
  .header {
    display: flex;
    justify-content: space-between;
    align-items: baseline;
    gap: 10px;
  }
  ol {
    list-style: none;
    margin: 12px 0 0;
    padding: 0;
    display: grid;
    gap: 2px;
  }
  li {
    display: grid;
    grid-template-columns: 11em 10em 10em minmax(0, 1fr);
    gap: 12px;
    padding: 8px 4px;
    border-top: 1px solid var(--abc-border, #e2e2e2);
    align-items: baseline;
  }
  .when,
  .fields {
    color: var(--abc-muted, #666);
  }
  .actor {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .state {
    padding: 12px 4px;
    color: var(--abc-muted, #666);
  }
  @container (max-width: 640px) {
    li {
      grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
    }
  }
`;
