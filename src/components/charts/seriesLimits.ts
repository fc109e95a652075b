/** Buckets a chart asks for: about twice a chart's width in pixels, so thinning never shows. */
export const MAX_POINTS = 2000;
