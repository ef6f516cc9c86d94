export * from './step-runner.js';
export * from './converter-consumers.js';
export * from './progress-reporter.js';
export * from './scan-runner.js';
export * from './metadata-runner.js';
export * from './inspection-consumers.js';
export * from './metadata-stripper.js';
export * from './step-metrics.js';
