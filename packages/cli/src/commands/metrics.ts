/**
 * `calicritters metrics list|show|create|update|archive`: the metric catalog experiments are analysed on, with the
 * admin API's checks, in the database directly or through a running server's admin API. `update` reads the metric,
 * applies the flags given and sends the whole definition back (the API replaces definitions whole).
 */
import type { MetricDefinition, MetricRecord, MetricReplacement } from '@ab-calicritters/core';
import type { MetricAdmin } from '@ab-calicritters/server';
import { CliError } from '../cli-error.js';
import { asCliErrors } from './overrides.js';
import { formatTable } from './rule-table.js';

/** Where the catalog lives: `createMetricAdmin(storage)`, or a running server through `createAdminApiClient`. */
export interface MetricsTarget {
  metrics: Pick<MetricAdmin, 'list' | 'get' | 'create' | 'replace' | 'archive'>;
}

/**
 * The flags of `create` and `update`, named as on the command line; `none` clears `--filter`, `--cap` and
 * `--window-hours` on update.
 */
export interface MetricFlags {
  name?: string;
  description?: string;
  kind?: string;
  event?: string;
  /** `property=value`: the value is a number or `true`/`false` when it reads as one, else a string. */
  filter?: string;
  property?: string;
  numerator?: string;
  denominator?: string;
  /** Hours after first exposure, or `none`. */
  'window-hours'?: string;
  /** `absolute:N` or `percentile:0.99`, or `none`. */
  cap?: string;
  direction?: string;
  'cuped-lookback-days'?: number;
}

const NONE = 'none';

function filterOf(text: string): MetricDefinition['filter'] {
  if (text === NONE) return null;
  const at = text.indexOf('=');
  if (at < 1) throw new CliError(`--filter must be property=value (got '${text}')`, 2);
  const raw = text.slice(at + 1);
  const number = Number(raw);
  const equals = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(number) ? number : raw;
  return { property: text.slice(0, at), equals };
}

function capOf(text: string): MetricDefinition['capping'] {
  if (text === NONE) return null;
  const [type, value, ...rest] = text.split(':');
  if ((type !== 'absolute' && type !== 'percentile') || value === undefined || rest.length > 0) {
    throw new CliError(`--cap must be absolute:N or percentile:Q (got '${text}')`, 2);
  }
  return { type, value: Number(value) };
}

function windowOf(text: string): number | null {
  if (text === NONE) return null;
  const hours = Number(text);
  if (!Number.isInteger(hours)) throw new CliError(`--window-hours must be a whole number of hours or none`, 2);
  return hours;
}

/** The definition fields the flags set (undefined: not given). */
function fromFlags(flags: MetricFlags): Partial<MetricReplacement> {
  const fields: Record<string, unknown> = {
    name: flags.name,
    description: flags.description,
    kind: flags.kind,
    event: flags.event,
    filter: flags.filter === undefined ? undefined : filterOf(flags.filter),
    property: flags.property,
    numerator: flags.numerator,
    denominator: flags.denominator,
    window_hours: flags['window-hours'] === undefined ? undefined : windowOf(flags['window-hours']),
    capping: flags.cap === undefined ? undefined : capOf(flags.cap),
    direction: flags.direction,
    cuped_lookback_days: flags['cuped-lookback-days'],
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<MetricReplacement>;
}

/** A stored metric as a definition again: what `update` starts from. Nulls and the fields a kind ignores are left out. */
function definitionOf(record: MetricRecord): Record<string, unknown> {
  const { key: _key, status: _s, created_at: _c, updated_at: _u, archived_at: _a, ...fields } = record;
  const kept = Object.entries(fields).filter(([field, v]) => {
    if (v === null) return false;
    if (record.kind === 'ratio' && field === 'cuped_lookback_days') return false;
    return true;
  });
  return Object.fromEntries(kept);
}

/** The catalog by key (archived metrics too with `includeArchived`). */
export function listMetrics(target: MetricsTarget, includeArchived = false): Promise<MetricRecord[]> {
  return asCliErrors(() => target.metrics.list(includeArchived));
}

export function showMetric(target: MetricsTarget, key: string): Promise<MetricRecord> {
  return asCliErrors(() => target.metrics.get(key));
}

export function createMetric(target: MetricsTarget, key: string, flags: MetricFlags): Promise<MetricRecord> {
  if (flags.kind === undefined) throw new CliError('--kind is required: conversion, count, sum or ratio', 2);
  return asCliErrors(() => target.metrics.create({ key, ...fromFlags(flags) }));
}

/** Changes the fields given; the others keep their stored values. */
export async function updateMetric(target: MetricsTarget, key: string, flags: MetricFlags): Promise<MetricRecord> {
  const changes = fromFlags(flags);
  if (Object.keys(changes).length === 0) throw new CliError('Nothing to update: pass at least one field flag', 2);
  const current = await asCliErrors(() => target.metrics.get(key));
  const merged: Record<string, unknown> = { ...definitionOf(current), ...changes };
  // A new kind takes the fields of that kind only: the old kind's fields would be refused.
  if (changes.kind !== undefined && changes.kind !== current.kind) {
    const own: Record<string, readonly string[]> = {
      ratio: ['numerator', 'denominator'],
      sum: ['event', 'filter', 'property', 'window_hours', 'capping', 'cuped_lookback_days'],
    };
    const allowed = new Set([
      'name',
      'description',
      'kind',
      'direction',
      ...(own[changes.kind] ?? ['event', 'filter', 'window_hours', 'capping', 'cuped_lookback_days']),
    ]);
    for (const field of Object.keys(merged)) if (!allowed.has(field) && !(field in changes)) delete merged[field];
  }
  for (const [field, value] of Object.entries(merged)) if (value === null) delete merged[field];
  return asCliErrors(() => target.metrics.replace(key, merged));
}

/** Archives: experiments keep naming it; new references are refused. */
export function archiveMetric(target: MetricsTarget, key: string): Promise<MetricRecord> {
  return asCliErrors(() => target.metrics.archive(key));
}

/** What the metric measures, in one line. */
export function describeMetric(m: MetricRecord): string {
  if (m.kind === 'ratio') return `${m.numerator} / ${m.denominator}`;
  const filter = m.filter ? ` where ${m.filter.property} = ${JSON.stringify(m.filter.equals)}` : '';
  const what = m.kind === 'sum' ? `sum of ${m.property} of ${m.event}` : `${m.kind} of ${m.event}`;
  const window = m.window_hours === null ? '' : ` within ${m.window_hours} h`;
  const cap = m.capping ? `, capped at ${m.capping.type === 'percentile' ? 'p' : ''}${m.capping.value}` : '';
  return `${what}${filter}${window}${cap}`;
}

/** A fixed-width table for terminals. */
export function formatMetrics(records: readonly MetricRecord[]): string {
  if (records.length === 0) return 'No metrics.';
  return formatTable(
    ['KEY', 'KIND', 'DIRECTION', 'STATUS', 'MEASURES'],
    records.map((m) => [m.key, m.kind, m.direction, m.status, describeMetric(m)]),
  );
}
