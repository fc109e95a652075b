/**
 * `npm run demo`: simulated YOLO-style training runs reporting through the SDK, to watch a
 * live run in the browser or to load the server.
 *
 *   npm run demo -- [--url http://127.0.0.1:8000] [--runs 1] [--speed 1] [--epochs 10] [--steps 40]
 *
 * At speed 1 a run does about four steps a second; --speed 50 with --runs 20 is a load test.
 * Pause, resume and stop from the web app are obeyed.
 */
import { parseArgs } from 'node:util';
import { createMonitor, type ControlCommand, type Run } from '../src/sdk';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8000' },
    runs: { type: 'string', default: '1' },
    speed: { type: 'string', default: '1' },
    epochs: { type: 'string', default: '10' },
    steps: { type: 'string', default: '40' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log('npm run demo -- [--url http://127.0.0.1:8000] [--runs N] [--speed X] [--epochs E] [--steps S]');
  process.exit(0);
}

const positive = (name: string, value: string) => {
  const n = Number(value);
  if (!(n > 0)) {
    console.error(`--${name} must be a positive number, got ${value}`);
    process.exit(2);
  }
  return n;
};
const runs = Math.floor(positive('runs', args.runs));
const speed = positive('speed', args.speed);
const epochs = Math.floor(positive('epochs', args.epochs));
const stepsPerEpoch = Math.floor(positive('steps', args.steps));
const STEP_MS = 250 / speed;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Gaussian noise (Box–Muller). */
const noise = (sd: number) => sd * Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/** Pause, resume and stop as the training loop sees them. */
class Controls {
  paused = false;
  stopRequested = false;
  private wake: (() => void) | null = null;

  constructor(private readonly run: Run) {
    run.onControl((command) => void this.handle(command));
  }

  private async handle(command: ControlCommand): Promise<void> {
    const note = command.message ?? 'requested from the web app';
    if (command.action === 'pause' && !this.paused) {
      this.paused = true;
      this.run.info(`pausing: ${note}`);
      await this.run.status('paused', note);
    } else if (command.action === 'resume' && this.paused) {
      this.paused = false;
      this.run.info(`resuming: ${note}`);
      await this.run.status('running', note);
    } else if (command.action === 'stop') {
      this.stopRequested = true;
      this.run.warn(`stopping: ${note}`);
    }
    this.wake?.();
  }

  /** Waits while paused; true when the run should stop. */
  async checkpoint(): Promise<boolean> {
    while (this.paused && !this.stopRequested) await new Promise<void>((resolve) => (this.wake = resolve));
    return this.stopRequested;
  }
}

async function train(index: number): Promise<void> {
  const monitor = createMonitor({ url: args.url });
  const experimentId = `demo-yolov8n-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${index + 1}`;
  const config = {
    model: 'yolov8n.pt',
    data: 'coco128.yaml',
    epochs,
    batch: 16,
    imgsz: 640,
    optimizer: 'SGD',
    lr0: 0.01,
    lrf: 0.01,
    momentum: 0.937,
    warmup_epochs: 1,
    seed: index,
  };
  const run = await monitor.startRun({ experimentId, config, totalEpochs: epochs });
  const controls = new Controls(run);
  const say = (line: string) => runs === 1 && console.log(`[${experimentId}] ${line}`);
  say(`started; watch it at ${args.url}`);

  run.info(`Ultralytics YOLOv8n: ${JSON.stringify(config)}`);
  run.info('train: scanning coco128/labels/train2017... 128 images, 2 backgrounds');
  run.debug('dataloader: 8 workers, pin_memory=True');
  await run.status('running');

  const totalSteps = epochs * stepsPerEpoch;
  const ceiling = 0.55 + Math.random() * 0.2; // where this run's mAP levels off
  let step = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    run.info(`epoch ${epoch}/${epochs}: training`);
    let epochLoss = 0;
    for (let s = 1; s <= stepsPerEpoch; s++) {
      if (await controls.checkpoint()) return finish(run, 'stopped', `stopped at epoch ${epoch}`);
      step++;
      const progress = step / totalSteps;
      const warmup = Math.min(1, step / stepsPerEpoch);
      const lr = 0.01 * warmup * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * progress)));
      const decay = Math.exp(-3 * progress);
      const box = Math.max(0.2, 1.6 * decay + 0.35 + noise(0.05));
      const cls = Math.max(0.1, 2.4 * decay + 0.25 + noise(0.08));
      const dfl = Math.max(0.5, 0.7 * decay + 0.8 + noise(0.03));
      epochLoss += box + cls + dfl;
      run.metrics({
        epoch,
        step,
        values: { 'train/box_loss': round(box), 'train/cls_loss': round(cls), 'train/dfl_loss': round(dfl), lr: round(lr, 6) },
      });
      if (Math.random() < 0.01) run.warn(`step ${step}: gradient norm ${round(8 + Math.random() * 20, 1)} clipped to 10.0`);
      if (s % 10 === 0) run.debug(`epoch ${epoch} step ${s}/${stepsPerEpoch} GPU mem ${round(2 + Math.random(), 2)}G`);
      await sleep(STEP_MS);
    }

    run.info(`epoch ${epoch}/${epochs}: validating`);
    await sleep(STEP_MS * 4);
    const reached = ceiling * (1 - Math.exp(-4 * (epoch / epochs)));
    const map50 = Math.min(0.99, Math.max(0, reached + noise(0.01)));
    const map = map50 * 0.72;
    const precision = Math.min(0.99, map50 + 0.1 + noise(0.02));
    const recall = Math.min(0.99, map50 + noise(0.02));
    run.metrics({
      epoch,
      step,
      values: {
        'val/mAP50': round(map50),
        'val/mAP50-95': round(map),
        'val/precision': round(precision),
        'val/recall': round(recall),
        'val/accuracy': round(Math.min(0.99, 0.5 + map50 * 0.6 + noise(0.01))),
      },
    });
    if (map50 < reached - 0.015) run.warn(`epoch ${epoch}: val mAP50 dipped to ${round(map50, 3)}`);
    run.info(
      `epoch ${epoch}/${epochs}: loss ${round(epochLoss / stepsPerEpoch, 3)}, mAP50 ${round(map50, 3)}, mAP50-95 ${round(map, 3)}`,
    );
    say(`epoch ${epoch}/${epochs} mAP50 ${round(map50, 3)}`);
  }
  run.info(`training complete: best.pt saved (mAP50 ${round(ceiling * (1 - Math.exp(-4)), 3)})`);
  await finish(run, 'completed');
}

async function finish(run: Run, status: 'completed' | 'stopped', message?: string): Promise<void> {
  await run.finish(status, message);
  if (runs === 1) console.log(`[${run.experimentId}] ${status}`);
}

const started = Date.now();
await Promise.all(Array.from({ length: runs }, (_, i) => sleep(i * 100).then(() => train(i))));
if (runs > 1) console.log(`${runs} runs finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
