/**
 * The compact fleet message (`system.fleet`, once a second): enough for the fleet page's
 * summary, grid and table at a thousand hosts, without their full samples.
 */

/** Values per GPU in FleetHost.gpu: utilisation %, memory %, temperature °C (integers). */
export const FLEET_GPU_VALUES = 3;

export interface FleetHost {
  host: string;
  online: boolean;
  /** Epoch ms this instance last heard from the host. */
  lastSeenAt: number;
  labels: Record<string, string>;
  cpuUtil: number;
  ramPercent: number;
  /** Sum of the GPUs' power draw, W (null without GPUs reporting it). */
  powerW: number | null;
  /** FLEET_GPU_VALUES numbers per GPU, in reported order; null where a GPU did not say. */
  gpu: (number | null)[];
}

export interface FleetSnapshot {
  /** When the snapshot was taken, epoch ms. */
  t: number;
  hosts: FleetHost[];
}
