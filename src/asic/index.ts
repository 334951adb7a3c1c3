// The container path's one lazy entry (verify() imports it on the first ZIP input): one chunk for bundlers.
export { collectAsic, type ContainerFacts } from './collect.js';
export { containerReport } from './evaluate.js';
