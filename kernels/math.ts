/**
 * Scalar math that JavaScript's Math lacks, in two precisions: float64 for the references
 * (the definition) and GPU.js source snippets for the kernel bodies (float32 accuracy).
 */

const SQRT_PI = Math.sqrt(Math.PI);

/**
 * The error function to about 1e-15: Maclaurin series below |x| = 2.5, where its terms stay
 * small enough that cancellation costs at most three digits, and the continued fraction of
 * erfc above (Abramowitz & Stegun 7.1.14, evaluated bottom-up).
 */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 2.5) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 60; n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return (2 / SQRT_PI) * sum;
  }
  let fraction = 0;
  for (let n = 60; n >= 1; n--) fraction = n / 2 / (a + fraction);
  const erfc = Math.exp(-a * a) / SQRT_PI / (a + fraction);
  return Math.sign(x) * (1 - erfc);
}

/**
 * GPU.js statements that set `${out}` to erf(`${z}`) with absolute error below 1.5e-7
 * (Abramowitz & Stegun 7.1.26), which is float32's resolution near 1.
 */
export function erfLines(z: string, out: string): string[] {
  return [
    `const ${out}a = Math.abs(${z});`,
    `const ${out}t = 1.0 / (1.0 + 0.3275911 * ${out}a);`,
    `const ${out}p = ${out}t * (0.254829592 + ${out}t * (-0.284496736 + ${out}t * (1.421413741 + ${out}t * (-1.453152027 + ${out}t * 1.061405429))));`,
    `const ${out}m = 1.0 - ${out}p * Math.exp(-${out}a * ${out}a);`,
    `const ${out} = ${z} < 0.0 ? -${out}m : ${out}m;`,
  ];
}
