//! Bicubic (Catmull-Rom) resampling of RGB8 images: two separable passes
//! in integer arithmetic.
//!
//! This replaces `fast_image_resize`, which compiled 527 KB of machine
//! code into every phone's library on x86_64 for the one filter and pixel
//! type we use: its vertical u8 pass is instantiated for each of 30 const
//! generic weight precisions, once for SSE4.1 and once for AVX2, and its
//! horizontal pass twice per variant. Each pass here is one loop.
//!
//! The algorithm is Pillow's `ImagingResample` (`src/libImaging/Resample.c`),
//! which `fast_image_resize` follows too:
//!
//! - output pixel `i` is centred on `(i + 0.5) · scale` in the source,
//!   `scale = source size / output size`;
//! - the kernel is Keys' cubic with a = -0.5 (Catmull-Rom), support 2,
//!   widened by the scale when reducing (support `2 · max(scale, 1)`), so
//!   that every source pixel counts and a large reduction does not alias;
//! - each output's weights are cut to the image, normalised to sum 1 and
//!   made integers with 22 fractional bits; sums of weighted bytes are
//!   accumulated in 32 bits from a rounding half, shifted down and clamped
//!   to 0..=255 (through a table, as Pillow's `clip8`).
//!
//! Two departures: the rounding residual of an output's integer weights
//! goes to its largest weight, so that they sum to exactly 1.0 and a flat
//! colour stays exactly that colour; and past a [`MAX_FILTER_SCALE`]-fold
//! reduction the kernel stops widening, which bounds the weights one
//! output needs (see there).
//!
//! The vertical pass runs first: each output row is a weighted sum of a
//! few whole source rows, one weight per row, taken [`RUN`] bytes at a
//! time. The horizontal pass then lays [`ROWS`] rows out column by column
//! in a small cleared buffer, so that an output column of them is the same
//! kind of sum: one weight per source column, over the three channels of
//! eight rows side by side. An axis whose size does not change is not
//! convolved.
//!
//! # Two sums per multiply
//!
//! The release build does not vectorise loops. Its fat LTO leaves the
//! vectorisers to the link-time optimisation, and that runs at the
//! opt-level of the library's own crate, "s", at which rustc turns them
//! off; this crate's opt-level 3 does not reach them. The same passes
//! written for the vectoriser (`i16` weights, runs of 16 bytes) took 10 ms
//! for the photo below built without LTO, and 29 ms as the library is
//! built. `std::arch` would need `unsafe` (or Rust 1.87 for its safe
//! intrinsics; the workspace supports 1.85).
//!
//! So the passes do two sums per 64-bit multiply instead: a `u64` holds two
//! source bytes 32 bits apart (bytes `k` and `k + 4` of eight), and one
//! wrapping multiply by the sign-extended weight adds both products at
//! once, each into its own 32 bits. Each half starts at 2³¹ plus the
//! rounding half ([`HALVES`]), and a sum stays within ±2³¹ (see
//! [`Axis::fill`]); wrapping arithmetic is exact modulo 2⁶⁴, so whatever
//! carries passed between the halves on the way, each ends holding exactly
//! its sum plus 2³¹, between 0 and 2³². Its top ten bits are then the
//! output byte plus 512, an index into the clamping table ([`byte_pair`]).
//! That halves the multiplies, which bound the speed.
//!
//! Speed, 2016×1512 → 1600×1200 (a 12 MP photo decoded at 1/2 scale,
//! bound for 1600 px), x86_64 (2.6 GHz AMD EPYC), built as the library is
//! (release profile), median of 21 runs each, alternating: 20 ms, against
//! 7 ms for `fast_image_resize` (AVX2, chosen at run time). A photo ingest
//! (`palmgov bench ingest`, 12 MP JPEG to 1600 px) takes about 14% longer
//! than it did with `fast_image_resize`: fastest of 40 runs 110 against
//! 96 ms (Pillow: 88 ms).

use crate::Wiped;

/// Pillow's `PRECISION_BITS`: 8 bits of pixel, 22 of weight, and 2 for
/// the sums of a kernel with negative lobes, which can leave 0..=255 on
/// either side.
const BITS: u32 = 22;
/// 1.0 in the weights' fixed point.
const ONE: i32 = 1 << BITS;
/// What every sum starts from, so that the final shift rounds.
const HALF: i32 = 1 << (BITS - 1);
/// Catmull-Rom's support, in source pixels at scale 1.
const SUPPORT: f64 = 2.0;
/// The kernel widens with the reduction up to here and no further. One
/// output then takes at most 4 · 4,096 + 3 weights; without the bound a
/// 1×50,000,000 PNG reduced to a dot would need 50 million. The bound also
/// keeps the sums in range (see [`Axis::fill`]). Only a side of more than
/// 4,096 pixels per output pixel reaches it: a strip of a PNG reduced to a
/// dot.
const MAX_FILTER_SCALE: f64 = 4096.0;
/// Weights computed at a time: the outputs of an axis are taken in blocks
/// that need at most this many (or one output's, if it needs more).
const BLOCK_WEIGHTS: usize = 1 << 16;
/// Source pixels a block of outputs may span (or one output's, if more):
/// bounds the horizontal pass's buffer at 32,768 columns of [`ROWS`] rows.
const BLOCK_SPAN: usize = 1 << 15;
/// Bytes of a row the vertical pass sums at a time, in words of eight.
const RUN_WORDS: usize = 2;
const RUN: usize = RUN_WORDS * 8;
/// Rows the horizontal pass takes at a time.
const ROWS: usize = 8;
/// A column of [`ROWS`] rows: their pixels' bytes side by side, three
/// words of eight.
const LANES: usize = ROWS * 3;
/// Bytes 0 and 4 of a little-endian `u64`: two sums' worth of source.
const BYTES_0_AND_4: u64 = 0x0000_00FF_0000_00FF;
/// Where two sums in a `u64` start: 2³¹ and [`HALF`] in each half.
const HALVES: u64 = 0x8000_0000_8000_0000 + ((HALF as u64) << 32 | HALF as u64);

/// Scales RGB8 `pixels` of `width`×`height` to `new_width`×`new_height`
/// into a new cleared buffer. `None` if `pixels` is shorter than its size
/// says, if the sizes overflow `usize`, or if there is nothing to scale
/// (an empty source for a non-empty output).
pub(crate) fn resize(
    pixels: &[u8],
    (width, height): (u32, u32),
    (new_width, new_height): (u32, u32),
) -> Option<Wiped> {
    let (width, height) = (width as usize, height as usize);
    let (new_width, new_height) = (new_width as usize, new_height as usize);
    let len = width.checked_mul(height)?.checked_mul(3)?;
    let new_len = new_width.checked_mul(new_height)?.checked_mul(3)?;
    let pixels = pixels.get(..len)?;
    if new_len == 0 {
        return Some(Wiped::zeroed(0));
    }
    if len == 0 {
        return None;
    }
    // The intermediate image, when both axes change: cleared when dropped.
    let tall = (height != new_height).then(|| vertical(pixels, width * 3, height, new_height));
    if width == new_width {
        return Some(match tall {
            Some(tall) => tall,
            None => {
                let mut out = Wiped::zeroed(new_len);
                out.copy_from_slice(pixels);
                out
            }
        });
    }
    let tall = tall.as_deref().map_or(pixels, |tall| &tall[..]);
    Some(horizontal(tall, width, new_height, new_width))
}

/// The vertical pass: each output row a weighted sum of source rows of
/// `row_len` bytes.
fn vertical(src: &[u8], row_len: usize, height: usize, new_height: usize) -> Wiped {
    let mut out = Wiped::zeroed(row_len * new_height);
    let axis = Axis::new(height, new_height);
    let mut kernel = Kernel::default();
    let mut first = 0;
    while first < new_height {
        let end = axis.fill(first, &mut kernel);
        let out_rows = out[first * row_len..end * row_len].chunks_exact_mut(row_len);
        for (out_row, taps) in out_rows.zip(&kernel.taps) {
            let rows = &src[taps.first * row_len..(taps.first + taps.len) * row_len];
            weigh_rows(rows, row_len, kernel.weights(taps), out_row);
        }
        first = end;
    }
    out
}

/// One output row from the source rows in `rows`, one weight each, in
/// runs of [`RUN`] bytes; the last run overlaps the one before it when the
/// row is not a whole number of runs. Rows shorter than a run (images
/// under six pixels wide) byte by byte.
fn weigh_rows(rows: &[u8], row_len: usize, weights: &[i32], out: &mut [u8]) {
    if row_len < RUN {
        for (at, o) in out.iter_mut().enumerate() {
            let mut sum = HALF;
            for (row, &weight) in rows.chunks_exact(row_len).zip(weights) {
                sum += i32::from(row[at]) * weight;
            }
            *o = byte(sum);
        }
        return;
    }
    let mut at = 0;
    loop {
        let sums = weigh::<RUN_WORDS>(rows, row_len, at, weights);
        for (bytes, words) in out[at..at + RUN].chunks_exact_mut(8).zip(sums) {
            bytes_of(words, bytes);
        }
        if at + RUN == row_len {
            break;
        }
        at = (at + RUN).min(row_len - RUN);
    }
}

/// The sums of `8 · N` bytes: those from `at` on in each `stride` bytes of
/// `sources`, times that stride's weight. Word `k` of each group of four
/// holds bytes `k` and `k + 4` of its eight (see the module's doc).
#[inline(always)]
fn weigh<const N: usize>(
    sources: &[u8],
    stride: usize,
    at: usize,
    weights: &[i32],
) -> [[u64; 4]; N] {
    let mut sums = [[HALVES; 4]; N];
    for (source, &weight) in sources.chunks_exact(stride).zip(weights) {
        let weight = i64::from(weight) as u64;
        let words = source[at..at + 8 * N].chunks_exact(8);
        for (sums, bytes) in sums.iter_mut().zip(words) {
            if let Some(&bytes) = bytes.first_chunk::<8>() {
                let bytes = u64::from_le_bytes(bytes);
                for (k, sum) in sums.iter_mut().enumerate() {
                    let pair = (bytes >> (8 * k)) & BYTES_0_AND_4;
                    *sum = sum.wrapping_add(pair.wrapping_mul(weight));
                }
            }
        }
    }
    sums
}

/// Eight output bytes from the four words of [`weigh`].
#[inline(always)]
fn bytes_of(words: [u64; 4], out: &mut [u8]) {
    for (k, word) in words.into_iter().enumerate() {
        let (low, high) = byte_pair(word);
        out[k] = low;
        out[k + 4] = high;
    }
}

/// The two sums in a word, as bytes: each half is its sum plus 2³¹, so its
/// top ten bits are the sum shifted down plus 512.
#[inline(always)]
fn byte_pair(word: u64) -> (u8, u8) {
    let low = (word as u32 >> BITS) as usize;
    let high = (word >> (32 + BITS)) as usize;
    (CLAMP[low], CLAMP[high])
}

/// A weighted sum back to a byte: Pillow's `clip8`, a shift and a table.
/// Any `i32` shifted down by [`BITS`] is in -512..512.
fn byte(sum: i32) -> u8 {
    CLAMP[((sum >> BITS) + 512) as usize]
}

/// `CLAMP[v + 512]` is `v` clamped to 0..=255, for v in -512..512.
static CLAMP: [u8; 1024] = {
    let mut table = [0; 1024];
    let mut i = 0;
    while i < 1024 {
        table[i] = if i < 512 {
            0
        } else if i < 512 + 255 {
            (i - 512) as u8
        } else {
            255
        };
        i += 1;
    }
    table
};

/// The horizontal pass: each output pixel a weighted sum of neighbouring
/// pixels of its row; `src` has `rows` rows of `width` pixels. [`ROWS`]
/// rows at a time are copied column by column into `columns` (cleared when
/// dropped), only the columns the current block of outputs reads.
fn horizontal(src: &[u8], width: usize, rows: usize, new_width: usize) -> Wiped {
    let (row_len, new_row_len) = (width * 3, new_width * 3);
    let mut out = Wiped::zeroed(new_row_len * rows);
    let axis = Axis::new(width, new_width);
    let mut kernel = Kernel::default();
    let span = width.min(BLOCK_SPAN.max(axis.most_taps()));
    let mut columns = Wiped::zeroed(span * LANES);
    let mut first = 0;
    while first < new_width {
        let end = axis.fill(first, &mut kernel);
        let (from, to) = kernel.span();
        let groups = src
            .chunks(ROWS * row_len)
            .zip(out.chunks_mut(ROWS * new_row_len));
        for (src_rows, out_rows) in groups {
            for (r, row) in src_rows.chunks_exact(row_len).enumerate() {
                let column = columns[r * 3..].chunks_mut(LANES);
                for (c, pixel) in column.zip(row[from * 3..to * 3].chunks_exact(3)) {
                    c[..3].copy_from_slice(pixel);
                }
            }
            for (x, taps) in (first..end).zip(&kernel.taps) {
                let at = (taps.first - from) * LANES;
                let sources = &columns[at..at + taps.len * LANES];
                let sums = weigh::<{ LANES / 8 }>(sources, LANES, 0, kernel.weights(taps));
                let mut bytes = [0; LANES];
                for (bytes, words) in bytes.chunks_exact_mut(8).zip(sums) {
                    bytes_of(words, bytes);
                }
                let out_rows = out_rows.chunks_exact_mut(new_row_len);
                for (row, pixel) in out_rows.zip(bytes.chunks_exact(3)) {
                    row[x * 3..x * 3 + 3].copy_from_slice(pixel);
                }
            }
        }
        first = end;
    }
    out
}

/// Keys' cubic convolution kernel with a = -0.5 (Catmull-Rom).
fn catmull_rom(x: f64) -> f64 {
    const A: f64 = -0.5;
    let x = x.abs();
    if x < 1.0 {
        ((A + 2.0) * x - (A + 3.0)) * x * x + 1.0
    } else if x < 2.0 {
        (((x - 5.0) * x + 8.0) * x - 4.0) * A
    } else {
        0.0
    }
}

/// One axis of the resize: how output positions map onto the source.
struct Axis {
    size: usize,
    new_size: usize,
    /// Source pixels per output pixel.
    scale: f64,
    /// The kernel's stretch: the scale when reducing, 1 when enlarging.
    filter_scale: f64,
    /// Half the kernel's width, in source pixels.
    support: f64,
}

/// The source pixels an output takes: `len` from `first` on, weighted by
/// `Kernel::weights[at..at + len]`.
struct Taps {
    first: usize,
    at: usize,
    len: usize,
}

/// The taps and weights of a block of consecutive outputs of an axis.
#[derive(Default)]
struct Kernel {
    taps: Vec<Taps>,
    weights: Vec<i32>,
    /// One output's weights before they are made integers.
    real: Vec<f64>,
}

impl Kernel {
    fn weights(&self, taps: &Taps) -> &[i32] {
        &self.weights[taps.at..taps.at + taps.len]
    }

    /// The source pixels the block reads, from and to.
    fn span(&self) -> (usize, usize) {
        let from = self.taps.iter().map(|t| t.first).min().unwrap_or(0);
        let to = self.taps.iter().map(|t| t.first + t.len).max().unwrap_or(0);
        (from, to)
    }
}

impl Axis {
    fn new(size: usize, new_size: usize) -> Self {
        let scale = size as f64 / new_size as f64;
        let filter_scale = scale.clamp(1.0, MAX_FILTER_SCALE);
        Self {
            size,
            new_size,
            scale,
            filter_scale,
            support: SUPPORT * filter_scale,
        }
    }

    /// The most source pixels one output can take.
    fn most_taps(&self) -> usize {
        (self.support * 2.0) as usize + 2
    }

    /// Fills `kernel` with the outputs from `first` on, as many as keep
    /// within [`BLOCK_WEIGHTS`] and [`BLOCK_SPAN`] (at least one), and
    /// returns the end of the block.
    ///
    /// No sum leaves 31 bits and a sign: the absolute values of a
    /// Catmull-Rom output's weights add up to at most 1.3 (1.25 at a
    /// half-pixel offset when enlarging, 1.17 for a widened kernel); made
    /// integers they gain half a unit each and the residual as much again,
    /// at most 16,387 units with [`MAX_FILTER_SCALE`]; so a sum is within
    /// 255 · (1.3 · 2²² + 16,387) + 2²¹, about 1.4 · 10⁹ (test
    /// `weights_sum_to_one_and_fit`).
    fn fill(&self, first: usize, kernel: &mut Kernel) -> usize {
        kernel.taps.clear();
        kernel.weights.clear();
        let mut end = first;
        while end < self.new_size {
            let at = kernel.weights.len();
            let taps = self.taps(end, kernel);
            let from = kernel.taps.first().map_or(taps.first, |t| t.first);
            let full =
                kernel.weights.len() > BLOCK_WEIGHTS || taps.first + taps.len - from > BLOCK_SPAN;
            if full && end > first {
                kernel.weights.truncate(at);
                break;
            }
            kernel.taps.push(taps);
            end += 1;
        }
        end
    }

    /// Appends the integer weights of output `i` to `kernel.weights`, as
    /// Pillow's `precompute_coeffs` and `normalize_coeffs_8bpc` make them.
    fn taps(&self, i: usize, kernel: &mut Kernel) -> Taps {
        let center = (i as f64 + 0.5) * self.scale;
        // Rounded as Pillow does; the casts saturate, so a negative start
        // is 0.
        let start = (center - self.support + 0.5) as usize;
        let end = ((center + self.support + 0.5) as usize).min(self.size);
        let at = kernel.weights.len();
        let real = &mut kernel.real;
        real.clear();
        let step = 1.0 / self.filter_scale;
        real.extend((start..end).map(|x| catmull_rom((x as f64 - center + 0.5) * step)));
        let total: f64 = real.iter().sum();
        if total <= 0.0 {
            // Not reached: `center` is inside the source, and the pixel
            // nearest to it weighs more than the negative lobes together.
            // The nearest pixel alone, if it were.
            kernel.weights.push(ONE);
            return Taps {
                first: (center as usize).min(self.size - 1),
                at,
                len: 1,
            };
        }
        // `f64::round` rounds halves away from zero, as Pillow does.
        let weights = real
            .iter()
            .map(|w| (w / total * f64::from(ONE)).round() as i32);
        kernel.weights.extend(weights);
        let weights = &mut kernel.weights[at..];
        // The rounding residual goes to the largest weight, so that the
        // weights sum to exactly ONE and a flat colour stays the same.
        let residual = ONE - weights.iter().sum::<i32>();
        if let Some(largest) = weights.iter_mut().max() {
            *largest += residual;
        }
        // Weights of 0 at the ends (where the kernel is 0) are skipped.
        let lead = weights.iter().take_while(|&&w| w == 0).count();
        let trail = weights[lead..]
            .iter()
            .rev()
            .take_while(|&&w| w == 0)
            .count();
        let len = weights.len() - lead - trail;
        kernel.weights.copy_within(at + lead..at + lead + len, at);
        kernel.weights.truncate(at + len);
        Taps {
            first: start + lead,
            at,
            len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fast_image_resize::images::{TypedImage, TypedImageRef};
    use fast_image_resize::pixels::U8x3;
    use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};

    /// `fast_image_resize`'s Catmull-Rom, in one call (both passes).
    fn theirs(img: &[u8], (w, h): (u32, u32), (nw, nh): (u32, u32)) -> Vec<u8> {
        let mut out = vec![0u8; (nw * nh * 3) as usize];
        let src = TypedImageRef::<U8x3>::from_buffer(w, h, img).unwrap();
        let mut dst = TypedImage::<U8x3>::from_buffer(nw, nh, &mut out).unwrap();
        let options =
            ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
        Resizer::new()
            .resize_typed(&src, &mut dst, &options)
            .unwrap();
        out
    }

    /// High-frequency noise, the hardest case for the negative lobes and
    /// the clamping.
    fn pattern(w: u32, h: u32) -> Vec<u8> {
        (0..w * h * 3)
            .map(|i| (i * 7 % 251) as u8 ^ (i / 611) as u8)
            .collect()
    }

    /// Within 1 of `fast_image_resize` in every channel for one pass
    /// alone, down and up; within 2, rarely, when both axes change. Both
    /// have Pillow's kernel, bounds and normalisation; they differ in the
    /// integer weights only: ours have 22 fractional bits and sum to
    /// exactly 1.0, theirs are rounded to at most 15 bits to fit an `i16`.
    /// A sum that falls within a hair of .5 then rounds up in one and down
    /// in the other: 1 apart. When both axes change, two such bytes of the
    /// intermediate image can meet in one output of the second pass, where
    /// neighbouring weights add up to more than 1 (9/16 + 9/16 for the two
    /// nearest pixels when enlarging at a half-pixel offset): 2 apart. On
    /// this pattern that is 7 bytes of 6.9 million.
    #[test]
    fn matches_fast_image_resize() {
        // A source size and the sizes it is scaled to.
        type Case = ((u32, u32), &'static [(u32, u32)]);
        let cases: &[Case] = &[
            (
                (203, 151),
                &[
                    (160, 120),
                    (37, 151),
                    (203, 90),
                    (250, 160),
                    (9, 7),
                    (1, 151),
                    (203, 1),
                    (1, 1),
                    (1, 40),
                    (90, 1),
                    (600, 450),
                    (100, 300),
                ],
            ),
            ((1, 151), &[(1, 40), (1, 300), (5, 70), (3, 1)]),
            ((151, 1), &[(40, 1), (300, 1), (70, 5), (1, 3)]),
            ((1, 1), &[(1, 1), (3, 2), (1, 7)]),
            ((2016, 1512), &[(1600, 1200), (100, 75)]),
            // Several blocks of outputs (`BLOCK_WEIGHTS`), each axis.
            ((20_000, 2), &[(100, 2), (100, 1)]),
            ((2, 20_000), &[(2, 100), (1, 100)]),
        ];
        let (mut bytes, mut off_by_two) = (0, 0);
        for &((w, h), sizes) in cases {
            let img = pattern(w, h);
            for &(nw, nh) in sizes {
                let ours = resize(&img, (w, h), (nw, nh)).unwrap();
                let theirs = theirs(&img, (w, h), (nw, nh));
                assert_eq!(ours.len(), theirs.len());
                let diffs = ours.iter().zip(&theirs).map(|(a, b)| a.abs_diff(*b));
                let worst = diffs.clone().max().unwrap_or(0);
                let both_axes = w != nw && h != nh;
                let limit = if both_axes { 2 } else { 1 };
                assert!(worst <= limit, "{w}x{h} → {nw}x{nh}: off by {worst}");
                bytes += ours.len();
                off_by_two += diffs.filter(|&d| d == 2).count();
            }
        }
        assert!(off_by_two * 100_000 < bytes, "{off_by_two} of {bytes}");
    }

    /// The weights of every output sum to exactly 1.0, so a flat colour
    /// comes out exactly, whatever the sizes.
    #[test]
    fn a_flat_colour_stays_exact() {
        let sizes = [(1, 1), (1, 9), (9, 1), (7, 5), (64, 48), (203, 151)];
        let colours = [[0, 0, 0], [255, 255, 255], [1, 128, 254], [37, 200, 3]];
        for colour in colours {
            for (w, h) in sizes {
                let img: Vec<u8> = (0..w * h).flat_map(|_| colour).collect();
                for (nw, nh) in sizes.into_iter().chain([(300, 2), (2, 300), (13, 17)]) {
                    let out = resize(&img, (w, h), (nw, nh)).unwrap();
                    assert_eq!(out.len(), (nw * nh * 3) as usize);
                    assert!(
                        out.chunks_exact(3).all(|p| p == colour),
                        "{colour:?} {w}x{h} → {nw}x{nh}"
                    );
                }
            }
        }
    }

    /// Past `MAX_FILTER_SCALE` and `BLOCK_SPAN`: a strip to a few pixels.
    #[test]
    fn a_flat_strip_stays_exact() {
        let colour = [37, 200, 3];
        for ((w, h), news) in [
            ((100_000, 1), [(10, 1), (3, 1), (1, 1)]),
            ((1, 100_000), [(1, 10), (1, 3), (2, 2)]),
        ] {
            let img: Vec<u8> = (0..w * h).flat_map(|_| colour).collect();
            for (nw, nh) in news {
                let out = resize(&img, (w, h), (nw, nh)).unwrap();
                assert!(
                    out.chunks_exact(3).all(|p| p == colour),
                    "{w}x{h} → {nw}x{nh}"
                );
            }
        }
    }

    /// The integer weights of every output sum to exactly 1.0, lie inside
    /// the source, and cannot make a sum leave 31 bits and a sign (see
    /// `Axis::fill`), for sizes small and large, up and down.
    #[test]
    fn weights_sum_to_one_and_fit() {
        let sizes = [1, 2, 3, 4, 5, 7, 16, 37, 100, 151, 203, 1000, 2016, 4032];
        let pairs = sizes
            .iter()
            .flat_map(|&a| sizes.iter().map(move |&b| (a, b)))
            .chain([(200_000, 1), (200_000, 7), (50_000_000, 1600), (1, 100_000)]);
        for (size, new_size) in pairs {
            let axis = Axis::new(size, new_size);
            let mut kernel = Kernel::default();
            let mut first = 0;
            while first < new_size {
                let end = axis.fill(first, &mut kernel);
                assert!(end > first);
                assert_eq!(kernel.taps.len(), end - first);
                let (from, to) = kernel.span();
                assert!(to - from <= BLOCK_SPAN.max(axis.most_taps()));
                for taps in &kernel.taps {
                    assert!(taps.len >= 1 && taps.first + taps.len <= size);
                    let weights = kernel.weights(taps);
                    let sum: i64 = weights.iter().map(|&w| i64::from(w)).sum();
                    assert_eq!(sum, i64::from(ONE), "{size} → {new_size}");
                    let magnitude: i64 = weights.iter().map(|&w| i64::from(w).abs()).sum();
                    let worst = 255 * magnitude + i64::from(HALF);
                    assert!(worst <= i64::from(i32::MAX), "{size} → {new_size}");
                }
                first = end;
            }
        }
    }

    /// A ramp that rises along each row still rises after scaling, down
    /// and up: no ripple from the negative lobes, at the edges either.
    #[test]
    fn a_horizontal_gradient_stays_monotonic() {
        // 0, 1, 2 … 255, and 0, 5, 10 … 255: exactly linear.
        for (w, step) in [(256u32, 1u32), (52, 5)] {
            let h = 3;
            let img: Vec<u8> = (0..w * h)
                .flat_map(|i| {
                    let v = (i % w * step) as u8;
                    [v, v / 2, 255 - v]
                })
                .collect();
            for nw in [1, 2, 9, 37, 51, 100, 255, 300, 513, 1000] {
                for nh in [h, 2, 5] {
                    let out = resize(&img, (w, h), (nw, nh)).unwrap();
                    for row in out.chunks_exact(nw as usize * 3) {
                        for pair in row.chunks_exact(3).collect::<Vec<_>>().windows(2) {
                            let (a, b) = (pair[0], pair[1]);
                            assert!(
                                a[0] <= b[0] && a[1] <= b[1] && a[2] >= b[2],
                                "{w} → {nw}x{nh}: {a:?} then {b:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn impossible_sizes_are_refused_and_none_panic() {
        let img = pattern(4, 3);
        // Shorter than its size says.
        assert!(resize(&img, (5, 3), (2, 2)).is_none());
        // Nothing to scale from.
        assert!(resize(&[], (0, 3), (2, 2)).is_none());
        // Nothing to scale to.
        assert_eq!(resize(&img, (4, 3), (0, 5)).unwrap().len(), 0);
        // Longer than needed: the rest is ignored.
        let mut longer = img.clone();
        longer.extend_from_slice(&[9; 6]);
        assert_eq!(
            resize(&longer, (4, 3), (2, 2)).unwrap()[..],
            resize(&img, (4, 3), (2, 2)).unwrap()[..]
        );
        // Huge ratios, a strip to a dot and a dot to a strip.
        let strip = pattern(1, 200_000);
        assert_eq!(resize(&strip, (1, 200_000), (1, 1)).unwrap().len(), 3);
        assert_eq!(resize(&strip, (1, 200_000), (3, 2)).unwrap().len(), 18);
        let dot = [10, 20, 30];
        let out = resize(&dot, (1, 1), (1, 5000)).unwrap();
        assert!(out.chunks_exact(3).all(|p| p == dot));
        let out = resize(&dot, (1, 1), (5000, 1)).unwrap();
        assert!(out.chunks_exact(3).all(|p| p == dot));
    }

    /// Ours against `fast_image_resize` on the photo case (the figures in
    /// the module's doc). Run with
    /// `cargo test --release -p palmgov-media -- --ignored --nocapture speed`.
    /// This binary's link-time optimisation runs at this crate's opt-level,
    /// 3, the library's at "s" (see the module's doc); neither resizer
    /// depends on it (ours 21 ms here, 20 ms built as the library is).
    #[test]
    #[ignore]
    fn speed_against_fast_image_resize() {
        use std::time::Instant;
        let (size, new_size) = ((2016u32, 1512u32), (1600, 1200));
        // A photo-like image: smooth gradients plus some noise.
        let img: Vec<u8> = (0..size.0 * size.1)
            .flat_map(|i| {
                let (x, y) = (i % size.0, i / size.0);
                let noise = (i.wrapping_mul(2_654_435_761) >> 27) as u8;
                [
                    (x / 8) as u8 ^ noise,
                    (y / 6) as u8,
                    ((x + y) / 14) as u8 + noise,
                ]
            })
            .collect();
        let (mut ours, mut fir) = (Vec::new(), Vec::new());
        for _ in 0..21 {
            let t = Instant::now();
            std::hint::black_box(resize(&img, size, new_size).unwrap());
            ours.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            std::hint::black_box(theirs(&img, size, new_size));
            fir.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        ours.sort_by(f64::total_cmp);
        fir.sort_by(f64::total_cmp);
        println!(
            "2016x1512 → 1600x1200, median of 21: ours {:.2} ms (fastest {:.2}), fast_image_resize {:.2} ms (fastest {:.2})",
            ours[10], ours[0], fir[10], fir[0]
        );
    }
}
