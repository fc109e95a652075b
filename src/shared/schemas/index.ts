export * from './common';
export * from './control';
export * from './events';
export * from './queries';
export * from './session';
