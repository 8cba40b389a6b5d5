/**
 * MikroORM entities (defineEntity, no decorators). The ORM manages definitions (experiments, funnels); the hot
 * tables (assignments, event_logs) are declared too so the schema is documented in one place, but are written with
 * set-based SQL in ./assignment-store.ts and ./event-store.ts.
 */
import { defineEntity, p } from '@mikro-orm/core';
import type { ExperimentAnalysis, ExperimentMetric, ExperimentStatus, VariantDefinition } from '@ab-calicritters/core';

export const Experiment = defineEntity({
  name: 'Experiment',
  tableName: 'experiments',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    key: p.string().length(128).unique(),
    name: p.string().length(256).nullable(),
    seed: p.string().length(128),
    coverage: p.double().$type<number>(),
    variants: p.json<VariantDefinition[]>(),
    status: p.string().length(16).$type<ExperimentStatus>(),
    condition: p.json<Record<string, unknown>>().nullable(),
    hashAttribute: p.string().length(128).default('id'),
    fallbackAttribute: p.string().length(128).nullable(),
    namespace: p.json<[string, number, number]>().nullable(),
    releasedVariant: p.string().length(128).nullable(),
    releasedAt: p.datetime().nullable(),
    metrics: p.json<ExperimentMetric[]>().default('[]'),
    analysis: p.json<ExperimentAnalysis>().default('{"method": "sequential"}'),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export const Funnel = defineEntity({
  name: 'Funnel',
  tableName: 'funnels',
  properties: {
    name: p.string().length(128).primary(),
    steps: p.json<string[]>(),
    conversionWindowHours: p.integer(),
    archivedAt: p.datetime().nullable(),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

const StickyAssignment = defineEntity({
  name: 'StickyAssignment',
  tableName: 'assignments',
  properties: {
    experimentId: p.uuid().primary(),
    userId: p.string().length(256).primary(),
    variant: p.string().length(128),
    hashAttribute: p.string().length(128).default('id'),
    assignedAt: p.datetime().defaultRaw('now()'),
  },
});

const EventLog = defineEntity({
  name: 'EventLog',
  tableName: 'event_logs',
  properties: {
    eventId: p.uuid().primary(),
    userId: p.string().length(256).primary(),
    eventDay: p.date().primary(),
    name: p.string().length(128),
    clientTimestamp: p.datetime(),
    occurredAt: p.datetime(),
    receivedAt: p.datetime().defaultRaw('now()'),
    properties: p.json<Record<string, unknown>>(),
    assignments: p.json<Record<string, string>>(),
  },
});

export const entities = [Experiment, Funnel, StickyAssignment, EventLog];
