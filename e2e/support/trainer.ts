/**
 * A trainer for the browser tests, reporting through the SDK: a metric report and log
 * lines every `--interval` ms, a warning every 10 steps and an error every 25. It obeys
 * pause, resume and stop, and prints each control it receives as a JSON line.
 *
 *   node --import tsx e2e/support/trainer.ts --url URL --id ID [--steps 400] [--interval 100]
 */
import { parseArgs } from 'node:util';
import { createMonitor } from '../../src/sdk';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    id: { type: 'string' },
    steps: { type: 'string', default: '400' },
    interval: { type: 'string', default: '100' },
    epochs: { type: 'string', default: '10' },
  },
});
const steps = Number(values.steps);
const interval = Number(values.interval);
const epochs = Number(values.epochs);
const perEpoch = Math.max(1, Math.floor(steps / epochs));

const monitor = createMonitor({ url: values.url! });
const run = await monitor.startRun({
  experimentId: values.id!,
  totalEpochs: epochs,
  config: { model: 'yolov8s', data: 'coco.yaml', batch: 32, lr0: 0.01, augment: { mosaic: 1, mixup: 0.1 } },
});
let paused = false;
let stop = false;
run.onControl((c) => {
  console.log(JSON.stringify({ control: c.action }));
  if (c.action === 'pause' && !paused) {
    paused = true;
    void run.status('paused', 'paused from the web app');
  } else if (c.action === 'resume' && paused) {
    paused = false;
    void run.status('running', 'resumed from the web app');
  } else if (c.action === 'stop') stop = true;
});
await run.status('running');
run.info('training started');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
for (let step = 1; step <= steps; step++) {
  while (paused && !stop) await sleep(50);
  if (stop) {
    run.warn(`stopped at step ${step}`);
    await run.finish('stopped', 'stopped from the web app');
    console.log(JSON.stringify({ finished: 'stopped' }));
    process.exit(0);
  }
  const epoch = Math.min(epochs, Math.ceil(step / perEpoch));
  const loss = 2 * Math.exp(-step / 150) + 0.2 + Math.random() * 0.05;
  run.metrics({
    epoch,
    step,
    values: { 'train/loss': loss, 'val/mAP50': 0.7 * (1 - Math.exp(-step / 200)), lr: 0.01 * (1 - step / steps) },
  });
  run.info(`step ${step}: loss ${loss.toFixed(4)}`);
  if (step % 5 === 0) run.debug(`step ${step}: data loader queue 8/8`);
  if (step % 10 === 0) run.warn(`step ${step}: checkpoint write slow`);
  if (step % 25 === 0) run.error(`step ${step}: corrupt image skipped`);
  await sleep(interval);
}
await run.finish('completed');
console.log(JSON.stringify({ finished: 'completed' }));
process.exit(0);
