/**
 * A `node --cpu-prof` profile summarised by where the time went: self time grouped by package (`koa`, `pg`,
 * `@mikro-orm/core`, …), by our own source file, or by V8/Node internals, as shares of the busy (non-idle) time.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Which group a frame's time belongs to. */
function groupOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName || 'anonymous'}`;
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:'))
    return url
      .replace(/^node:(internal\/)?/, 'node:')
      .split('/')
      .slice(0, 2)
      .join('/');
  const ours = /packages\/([^/]+)\/(?:src|dist)\/(.+?)\.(?:ts|js)$/.exec(url);
  if (ours) return `${ours[1]}/${ours[2]}`;
  return url.split('/').slice(-2).join('/');
}

/**
 * A table of the largest groups of self time, with their share of the busy time, over the part of the profile from
 * `fromMs` to `toMs` after its start (to leave out start-up and warm-up, or another phase).
 */
export function summariseCpuProfile(file: string, { top = 18, fromMs = 0, toMs = Infinity } = {}): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const micros = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  let at = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    if (at < fromMs * 1000 || at > toMs * 1000) return;
    const group = groupOf(byId.get(id)!.callFrame);
    if (group === '(idle)') idle += us;
    else {
      busy += us;
      micros.set(group, (micros.get(group) ?? 0) + us);
    }
  });
  const rows = [...micros].sort((a, b) => b[1] - a[1]).slice(0, top);
  const lines = [
    `CPU profile ${file}: busy ${(busy / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s; self time by group:`,
    ...rows.map(([group, us]) => `  ${((us / busy) * 100).toFixed(1).padStart(5)} %  ${group}`),
  ];
  return lines.join('\n');
}
