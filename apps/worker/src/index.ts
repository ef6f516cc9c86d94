export * from './step-runner.js';
export * from './converter-consumers.js';
export * from './progress-reporter.js';
