/**
 * Probabilistic sensitivity analysis: seeded per-draw random streams, PSA distributions (method of
 * moments, samplers, quantiles), Gaussian-copula correlation and whole-draw parameter sampling.
 */
export { drawStream, drawStreamState, splitMix64, xoshiro128StarStar, type UniformSource } from './random';
export {
  resolveDistribution,
  isDistributionError,
  sample,
  quantile,
  cdf,
  mean,
  variance,
  describe,
  formatNumber,
  normalCdf,
  normalPdf,
  normalQuantile,
  sampleStandardNormal,
  sampleStandardGamma,
  sampleLogStandardGamma,
  sampleBeta,
  sampleDirichlet,
  type ResolvedDistribution,
  type NormalTruncation,
  type DistributionError,
} from './distributions';
export {
  buildGaussianCopula,
  drawCorrelatedNormals,
  spearmanOfGaussianCopula,
  pearsonForSpearman,
  type CorrelationSpec,
  type GaussianCopula,
} from './correlation';
export {
  preparePsa,
  drawParameters,
  drawParameterBlock,
  type PsaParameterSpec,
  type PsaError,
  type PreparedPsa,
} from './draw-parameters';
