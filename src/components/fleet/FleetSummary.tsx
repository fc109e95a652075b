'use client';
import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { useFormat } from '../useFormat';
import { FLEET_GPU_VALUES, type FleetHost } from '@/shared/fleet';

/** A GPU counts as busy from this utilisation on. */
export const BUSY_FROM = 10;

export function fleetTotals(hosts: FleetHost[]) {
  let online = 0;
  let gpus = 0;
  let busy = 0;
  let util = 0;
  let mem = 0;
  let measured = 0;
  let power = 0;
  let hottest: { host: string; gpu: number; temp: number } | null = null;
  for (const h of hosts) {
    if (!h.online) continue;
    online++;
    power += h.powerW ?? 0;
    for (let i = 0; i < h.gpu.length; i += FLEET_GPU_VALUES) {
      gpus++;
      const [u, m, t] = [h.gpu[i], h.gpu[i + 1], h.gpu[i + 2]];
      if (u !== null && u !== undefined) {
        measured++;
        util += u;
        mem += m ?? 0;
        if (u >= BUSY_FROM) busy++;
      }
      if (t !== null && t !== undefined && (!hottest || t > hottest.temp))
        hottest = { host: h.host, gpu: i / FLEET_GPU_VALUES, temp: t };
    }
  }
  return {
    online,
    offline: hosts.length - online,
    gpus,
    busy,
    idle: gpus - busy,
    util: measured ? util / measured : null,
    mem: measured ? mem / measured : null,
    hottest,
    power,
  };
}

function Stat({ label, value, sub, testId }: { label: string; value: string; sub?: ReactNode; testId: string }) {
  return (
    <div className="rounded-lg border border-line bg-panel p-3" data-testid={testId}>
      <div className="text-xs font-medium uppercase tracking-wide text-muted">{label}</div>
      <div className="mt-0.5 font-mono text-xl font-semibold tabular-nums">{value}</div>
      {sub && <div className="truncate text-xs text-faint">{sub}</div>}
    </div>
  );
}

export function FleetSummary({ hosts }: { hosts: FleetHost[] }) {
  const t = useTranslations('fleet');
  const th = useTranslations('host');
  const fmt = useFormat();
  const sum = fleetTotals(hosts);
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" aria-label={t('summary')}>
      <Stat
        testId="fleet-hosts"
        label={t('hosts')}
        value={t('online', { count: fmt.count(sum.online) })}
        sub={t('offline', { count: fmt.count(sum.offline) })}
      />
      <Stat
        testId="fleet-gpus"
        label={t('gpus')}
        value={fmt.count(sum.gpus)}
        sub={t('busyIdle', { busy: fmt.count(sum.busy), idle: fmt.count(sum.idle) })}
      />
      <Stat testId="fleet-util" label={t('gpuUtil')} value={fmt.percent(sum.util)} sub={t('meanOnline')} />
      <Stat testId="fleet-mem" label={t('gpuMemory')} value={fmt.percent(sum.mem)} sub={t('meanUsed')} />
      <Stat
        testId="fleet-hottest"
        label={t('hottest')}
        value={fmt.measure(sum.hottest?.temp, '°C')}
        sub={
          sum.hottest ? (
            <>
              <span translate="no">{sum.hottest.host}</span> · {th('gpu', { id: sum.hottest.gpu })}
            </>
          ) : undefined
        }
      />
      <Stat testId="fleet-power" label={t('power')} value={fmt.watts(sum.power)} sub={t('allGpus')} />
    </div>
  );
}
