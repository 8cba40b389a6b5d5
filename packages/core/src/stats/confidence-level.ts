/** The confidence level every interval in the statistics module uses, and its two-sided normal critical value. */
import { normalQuantile } from './normal.js';

/** Coverage of every confidence interval: 95%. */
export const CONFIDENCE_LEVEL = 0.95;

/** Two-sided critical value of the standard normal at {@link CONFIDENCE_LEVEL}: Φ⁻¹(0.975) ≈ 1.959964. */
export const Z_CRITICAL = normalQuantile(1 - (1 - CONFIDENCE_LEVEL) / 2);
