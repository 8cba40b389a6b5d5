import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  formatChance,
  formatCount,
  formatDay,
  formatDuration,
  formatLift,
  formatMs,
  formatPValue,
  formatPercent,
  formatSigned,
  formatTimeAgo,
  formatTimeUntil,
  formatWithinWindow,
} from './format.js';

const it = suite('format');

it('a window ends a sentence grammatically: "today (UTC)" for one day, "in the last N days" otherwise', () => {
  assert.is(`Users assigned ${formatWithinWindow(1)}`, 'Users assigned today (UTC)');
  assert.is(`Users assigned ${formatWithinWindow(7)}`, 'Users assigned in the last 7 days');
});

it('counts use thousands separators and a dash for missing values', () => {
  assert.is(formatCount(12345), '12,345');
  assert.is(formatCount(null), '–');
  assert.is(formatCount(Number.NaN), '–');
});

it('lifts carry a sign, a true minus, and one decimal only below 10%', () => {
  assert.is(formatLift(0.12), '+12%');
  assert.is(formatLift(-0.034), '−3.4%');
  assert.is(formatLift(0), '0%');
  assert.is(formatLift(-0.0001), '0%');
  assert.is(formatLift(null), '–');
});

it('p-values round to what matters and floor at < 0.001', () => {
  assert.is(formatPValue(0.004), '0.004');
  assert.is(formatPValue(0.0000123), '< 0.001');
  assert.is(formatPValue(0.2345), '0.23');
});

it('chances never claim certainty', () => {
  assert.is(formatChance(0.9996), '>99%');
  assert.is(formatChance(0.004), '<1%');
  assert.is(formatChance(0.873), '87%');
});

it('percentages, signed numbers, milliseconds and days', () => {
  assert.is(formatPercent(0.1234), '12.3%');
  assert.is(formatPercent(-0.0001, 0), '0%', 'a share that rounds to zero carries no sign');
  assert.is(formatPercent(-0.03, 0), '-3%');
  assert.is(formatSigned(-3, 1, ' ms'), '−3.0 ms');
  assert.is(formatSigned(0.01, 1), '0');
  assert.is(formatMs(3.456), '3.46 ms');
  assert.is(formatMs(1234), '1,234 ms');
  assert.is(formatDay('2026-03-05'), 'Mar 5');
});

it('times ago round to the largest unit that fits, and say "just now" and "never" rather than 0 s or null', () => {
  assert.is(formatTimeAgo(0), 'just now');
  assert.is(formatTimeAgo(44), 'just now');
  assert.is(formatTimeAgo(45), '1 min ago');
  assert.is(formatTimeAgo(180), '3 min ago');
  assert.is(formatTimeAgo(59 * 60 + 40), '1 h ago', 'never "60 min"');
  assert.is(formatTimeAgo(7200), '2 h ago');
  assert.is(formatTimeAgo(3 * 86_400), '3 days ago');
  assert.is(formatTimeAgo(null), 'never');
});

it('times until say "now" once due, and "in less than a minute" rather than seconds', () => {
  assert.is(formatTimeUntil(-5), 'now');
  assert.is(formatTimeUntil(0), 'now');
  assert.is(formatTimeUntil(20), 'in less than a minute');
  assert.is(formatTimeUntil(120), 'in 2 min');
  assert.is(formatTimeUntil(Number.NaN), 'now');
});

it('durations: tenths of seconds when short, minutes and seconds when long', () => {
  assert.is(formatDuration(412), '0.4 s');
  assert.is(formatDuration(12_300), '12 s');
  assert.is(formatDuration(95_000), '1 min 35 s');
  assert.is(formatDuration(120_000), '2 min');
  assert.is(formatDuration(null), '–');
});

it.run();
