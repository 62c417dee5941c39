// jstat ships no type declarations; only the samplers/densities the engine uses are declared.
declare module 'jstat' {
  type Dist = {
    sample(...params: number[]): number;
    pdf(x: number, ...params: number[]): number;
    cdf(x: number, ...params: number[]): number;
    inv(p: number, ...params: number[]): number;
    mean(...params: number[]): number;
    variance(...params: number[]): number;
  };
  export const jStat: {
    setRandom(fn: () => number): void;
    beta: Dist; gamma: Dist; normal: Dist; lognormal: Dist; uniform: Dist; triangular: Dist;
    studentt: Dist; chisquare: Dist; centralF: Dist;
    randn(n?: number, m?: number): number;
    randg(shape: number, n?: number, m?: number): number;
    [key: string]: unknown;
  };
  export default jStat;
}
