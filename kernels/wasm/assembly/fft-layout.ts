// Memory layout shared by the FFT files (the JavaScript plan builder in ../fft-plan.ts writes
// the same layout).
//
// Lane layout: the FFT transforms four independent rows at once, one row per f32x4 lane, so
// a "complex element" is 32 bytes: the real parts of the four rows (v128) then the imaginary
// parts (v128). Every butterfly is then plain lane-wise arithmetic with scalar twiddles.
//
// Plans are arrays of i32 words at a fixed address (byte offsets below). Twiddles are
// (cos, sin) float32 pairs computed in float64 by the plan builder.

/** Bytes of one lane-layout complex element (4 rows x (re, im)). */
export const ELEM: usize = 32;

// Complex plan header, both kinds.
export const PLAN_KIND: usize = 0; // 0 Stockham mixed radix, 1 Bluestein
export const PLAN_N: usize = 4;
export const PLAN_INVERSE: usize = 8; // 0 forward (exp(-2 pi i jk / n)), 1 backward (exp(+...))
export const PLAN_BUF_ELEMS: usize = 12; // elements each ping-pong buffer must hold

// Stockham plan: number of stages, then per stage STAGE_WORDS words.
export const STOCKHAM_STAGES: usize = 16;
export const STOCKHAM_FIRST_STAGE: usize = 20;
export const STAGE_BYTES: usize = 20;
export const STAGE_RADIX: usize = 0;
export const STAGE_M: usize = 4; // butterflies per stride (remaining length / radix)
export const STAGE_S: usize = 8; // stride: product of the radices before this stage
export const STAGE_TWIDDLES: usize = 12; // [m][radix - 1] pairs exp(+-2 pi i p k / (m radix))
export const STAGE_ROOTS: usize = 16; // generic radix only: [radix] pairs exp(+-2 pi i j / radix)

// Bluestein plan: the length-M (2,3,5-smooth, M >= 2n - 1) plans and tables it convolves with.
export const BLUESTEIN_M: usize = 16;
export const BLUESTEIN_CHIRP: usize = 20; // [n] pairs exp(+-i pi j^2 / n)
export const BLUESTEIN_FILTER: usize = 24; // [M] pairs: FFT_M of the conjugate chirp, times 1 / M
export const BLUESTEIN_FORWARD: usize = 28; // Stockham plan of length M, forward
export const BLUESTEIN_BACKWARD: usize = 32; // Stockham plan of length M, backward

// Real plan (rfft / irfft of length n).
export const REAL_N: usize = 0;
export const REAL_COMPLEX: usize = 4; // complex plan of length n / 2 (n even) or n (n odd)
export const REAL_TWIDDLES: usize = 8; // n even: [n / 2 + 1] pairs exp(-2 pi i k / n)
export const REAL_BUF_ELEMS: usize = 12; // elements each work buffer must hold
