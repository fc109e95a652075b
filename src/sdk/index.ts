/**
 * The trainer SDK of CV Studio Monitor: log lines, metrics and status from a training
 * script, queued and sent in the background, never lost or duplicated across outages.
 *
 *   const monitor = createMonitor({ url: 'http://gpu-box:8000' });
 *   const run = await monitor.startRun({ experimentId: 'yolov8n-coco-42', totalEpochs: 100 });
 *   run.info('loading COCO');
 *   run.metrics({ epoch: 1, step: 1200, values: { train_loss: 0.41 } });
 *   await run.finish('completed');
 */
export { createMonitor, Monitor } from './monitor.js';
export { Run } from './run.js';
export { finalState, LineSplitter } from './consoleCapture.js';
export * from './types.js';
