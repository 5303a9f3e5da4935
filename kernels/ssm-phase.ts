/**
 * Exact phases for the GPU.js bodies of the Vandermonde kernels: the angle b·l (mod 2π) for a
 * float32 frequency b and an integer step l < L, to within a few 1e-7 rad in float32 arithmetic.
 *
 * Why: the plain product b·l rounds to ulp(b·l), e.g. 0.03 rad for b = 100, l = 16384, and GPU
 * sin/cos lose accuracy on large arguments. So the phase is computed in turns (b/2π) held in
 * fixed point, where every step below is exact in float32:
 *
 * 1. Split |b| = hi + lo with hi of ≤ 13 significant bits (a floor at a power-of-two scale found
 *    with log2; being one off only moves a bit between hi and lo), and 1/2π = I1 + I2 + I3 with
 *    I1, I2 of 11 bits. hi·I1, hi·I2 and lo·I1 are exact (≤ 24 bits); the rest, hi·I3 + lo·I2 +
 *    lo·I3, is ~2^-22 of b/2π, so its rounding is ~2^-46 relative.
 * 2. Each of these four pieces loses its integer part (whole turns) and is cut at fixed binary
 *    places into digits d1 (a multiple of 2^-w below 1), d2 (a multiple of 2^-2w below 2^-w) and a
 *    remainder below 2^-2w; digits of one place are summed (exactly) into D1, D2, D3.
 * 3. For a step l: D1·l and D2·l are exact (numerators below 2^w times l < L ≤ 2^(24-w)), so
 *    their fractional parts are exact; only D3·l rounds, and it is below 2^(26-3w) turns. The
 *    centred turn times 2π·sign(b) is the angle.
 *
 * The digit width w = min(11, 24 − ⌈log2 L⌉) keeps the products exact; w ≤ 11 keeps the sum of the
 * two centred fractions exact. Accuracy: ≈ 4e-7 rad up to L = 2^15, degrading to ~3e-6 rad at
 * 2^16 (D3·l grows). On the cpu backend (float64) every step is exact or better.
 * Only floor, power-of-two scalings, short products and subtractions of nearby values are used:
 * their results do not change under fused multiply-adds or reassociation-free GPU compilers.
 */
import { float } from './codegen.ts';

const INV_TWO_PI = 1 / (2 * Math.PI);
/** 1/2π = I1 + I2 + I3: I1, I2 with 11 significant bits (exact products with 13-bit numbers), I3 the float32 rest. */
const I1 = Math.floor(INV_TWO_PI * 2 ** 13) / 2 ** 13;
const I2 = Math.floor((INV_TWO_PI - I1) * 2 ** 24) / 2 ** 24;
const I3 = Math.fround(INV_TWO_PI - I1 - I2);

/** Digit width for steps l < length: w = min(11, 24 − ⌈log2 length⌉), at least 1. */
export function digitWidth(length: number): number {
  return Math.max(1, Math.min(11, 24 - Math.ceil(Math.log2(Math.max(length, 2)))));
}

/**
 * GPU.js lines turning the Number expression `b` (radians per step) into the turn digits
 * `${p}D1`, `${p}D2`, `${p}D3` (see the file comment). Independent of the step: hoist out of
 * step loops where the kernel allows.
 */
export function turnDigitLines(b: string, p: string, w: number): string[] {
  const s1 = float(2 ** w);
  const s2 = float(2 ** (2 * w));
  const pieces = [
    `${p}Hi * ${float(I1)}`,
    `${p}Hi * ${float(I2)}`,
    `${p}Lo * ${float(I1)}`,
    `${p}Hi * ${float(I3)} + ${p}Lo * ${float(I2)} + ${p}Lo * ${float(I3)}`,
  ];
  return [
    // digits of |b|: every piece is then ≥ 0, so dropping whole turns never turns a tiny rounded
    // negative remainder into 1 − tiny (which would cost its digits); the sign returns at the end
    `const ${p}Sign = ${b} < 0.0 ? -1.0 : 1.0;`,
    `const ${p}Mag = Math.max(Math.abs(${b}), 1e-30);`,
    `const ${p}Unit = Math.pow(2.0, Math.floor(Math.log2(${p}Mag)) - 11.0);`,
    `const ${p}Hi = Math.floor(${p}Mag / ${p}Unit) * ${p}Unit;`,
    `const ${p}Lo = ${p}Mag - ${p}Hi;`,
    ...pieces.flatMap((piece, j) => [
      `const ${p}T${j} = ${piece};`,
      `const ${p}F${j} = ${p}T${j} - Math.floor(${p}T${j});`,
      `const ${p}A${j} = Math.floor(${p}F${j} * ${s1}) / ${s1};`,
      `const ${p}B${j} = Math.floor((${p}F${j} - ${p}A${j}) * ${s2}) / ${s2};`,
      `const ${p}C${j} = ${p}F${j} - ${p}A${j} - ${p}B${j};`,
    ]),
    // second-place digits may carry into the first place: move the carry, then drop whole turns
    `const ${p}Sum2 = ${p}B0 + ${p}B1 + ${p}B2 + ${p}B3;`,
    `const ${p}Carry = Math.floor(${p}Sum2 * ${s1}) / ${s1};`,
    `const ${p}D2 = ${p}Sum2 - ${p}Carry;`,
    `const ${p}Sum1 = ${p}A0 + ${p}A1 + ${p}A2 + ${p}A3 + ${p}Carry;`,
    `const ${p}D1 = ${p}Sum1 - Math.floor(${p}Sum1);`,
    `const ${p}D3 = ${p}C0 + ${p}C1 + ${p}C2 + ${p}C3;`,
  ];
}

/** GPU.js lines declaring `${p}Angle` ∈ [−π, π], congruent to b·l (mod 2π), from the digits and the step `l`. */
export function angleLines(l: string, p: string): string[] {
  return [
    `const ${p}P1 = ${p}D1 * ${l};`,
    `const ${p}P2 = ${p}D2 * ${l};`,
    `const ${p}Exact = ${p}P1 - Math.floor(${p}P1 + 0.5) + (${p}P2 - Math.floor(${p}P2 + 0.5));`,
    `const ${p}Turn = ${p}Exact - Math.floor(${p}Exact + 0.5) + ${p}D3 * ${l};`,
    `const ${p}Angle = (${p}Turn - Math.floor(${p}Turn + 0.5)) * ${p}Sign * ${2 * Math.PI};`,
  ];
}
