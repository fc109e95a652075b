/** The compact fleet message, made from each host's latest sample (see shared/fleet.ts). */
import type { FleetHost, FleetSnapshot } from '../../../shared/fleet';
import type { HostStatus } from '../../../shared/systemSample';

const round = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : null);

export function fleetHost(status: HostStatus): FleetHost {
  const s = status.latest;
  const gpu: (number | null)[] = [];
  let power: number | null = null;
  for (const g of s?.gpu ?? []) {
    gpu.push(round(g.gpu_util), round(g.vram_percent), round(g.gpu_temp));
    if (typeof g.power_usage === 'number') power = (power ?? 0) + g.power_usage;
  }
  return {
    host: status.host,
    online: status.online,
    lastSeenAt: status.lastSeenAt.getTime(),
    labels: status.labels,
    cpuUtil: round(s?.cpu.cpu_util) ?? 0,
    ramPercent: round(s?.memory.ram_percent) ?? 0,
    powerW: power === null ? null : Math.round(power),
    gpu,
  };
}

export const fleetSnapshot = (hosts: HostStatus[], now: number): FleetSnapshot => ({ t: now, hosts: hosts.map(fleetHost) });
