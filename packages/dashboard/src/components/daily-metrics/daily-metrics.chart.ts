/** The chart of `<abc-daily-metrics>` as chart.js configuration (no data): its series, axes and the partial day. */
import { formatCount } from '../../shared/format.js';
import { chartAnimation, withAlpha, type ChartConfiguration, type ChartTheme } from '../../shared/charts.js';

/** Dash pattern of the segment into a day that is not over yet. */
export const PARTIAL_DASH = [6, 4];

/**
 * The events-and-users line chart, without data. Lines are monotone (they never overshoot a point), and the segment
 * into a partial day (today, still counting) is dashed.
 */
export function dailyChart(theme: ChartTheme, isPartial: (index: number) => boolean): ChartConfiguration<'line'> {
  const partialDash = (ctx: { p1DataIndex: number }) => (isPartial(ctx.p1DataIndex) ? PARTIAL_DASH : undefined);
  const [events = '#5b5bd6', users = '#1ea3b8'] = theme.series;
  return {
    type: 'line',
    data: {
      labels: [],
      datasets: [
        {
          label: 'Events',
          data: [],
          yAxisID: 'events',
          borderColor: events,
          backgroundColor: withAlpha(events, 0.12),
          pointBackgroundColor: events,
          fill: true,
          cubicInterpolationMode: 'monotone',
          segment: { borderDash: partialDash },
          pointRadius: 3,
          borderWidth: 2,
        },
        {
          label: 'Unique users',
          data: [],
          yAxisID: 'users',
          borderColor: users,
          backgroundColor: users,
          cubicInterpolationMode: 'monotone',
          segment: { borderDash: partialDash },
          pointRadius: 3,
          borderWidth: 2,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: chartAnimation(),
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: {
          position: 'bottom',
          labels: { color: theme.text, usePointStyle: true, boxHeight: 6, font: { family: theme.font } },
        },
        tooltip: { callbacks: { label: (item) => ` ${item.dataset.label}: ${formatCount(item.parsed.y)}` } },
      },
      scales: {
        x: { grid: { display: false }, ticks: { color: theme.text, font: { family: theme.font } } },
        events: {
          position: 'left',
          beginAtZero: true,
          grid: { color: theme.grid },
          border: { display: false },
          title: { display: true, text: 'Events', color: theme.text, font: { family: theme.font } },
          ticks: { color: theme.text, precision: 0, font: { family: theme.font } },
        },
        users: {
          position: 'right',
          beginAtZero: true,
          // Headroom keeps the users line below the events line when both grow alike, so neither hides the other.
          grace: '35%',
          grid: { display: false },
          border: { display: false },
          title: { display: true, text: 'Unique users', color: theme.text, font: { family: theme.font } },
          ticks: { color: theme.text, precision: 0, font: { family: theme.font } },
        },
      },
    },
  };
}
