export * from './common';
export * from './events';
export * from './queries';
export * from './session';
