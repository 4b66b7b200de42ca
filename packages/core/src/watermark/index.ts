export { type TrackedBranch, ciBranch } from './branch.js';
export { type Watermark, readWatermark, watermarkIdentifier, writeWatermark } from './watermark.js';
