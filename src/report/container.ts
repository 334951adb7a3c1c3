/**
 * The `container` section of a ValidationReport (ASiC, EN 319 162-1): what the container holds, what each
 * signature or time-stamp covers, and the container-level findings. Declared with the container front end
 * (asic/model.ts); report/model.ts only names it.
 */
export type { ContainerType, ContainerEntryRole, ContainerEntry, ContainerCoverage, ContainerTimestamp, ManifestMismatch, ContainerReport, InnerContainerReport } from '../asic/model.js';
