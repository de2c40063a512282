//! QR codes for `palmgov wallet qr` and `wallet verify`: a licence code's
//! matrix drawn in the terminal or written as a PNG, and a code read back
//! from a PNG (rqrr) for verifier mode.
//!
//! The core hands over the bare matrix (`LicenceQr::modules`, 1 dark); the
//! quiet zone round it is drawn here.

use std::io::Write;
use std::path::Path;

use crate::{CliError, CliResult};

/// Light modules round the code, as ISO/IEC 18004 asks.
pub(crate) const QUIET: usize = 4;
/// Pixels per module in a PNG: version 20 (97 modules) makes 840 px.
pub(crate) const PNG_SCALE: usize = 8;
/// The largest image `wallet verify` decodes (pixels): a phone's photo
/// fits, a decompression bomb does not.
const MAX_PIXELS: u64 = 64 << 20;

/// Whether the module at (`x`, `y`), counted from the quiet zone's corner,
/// is light. Outside the code and its quiet zone: not light (the
/// terminal's background).
fn light(width: usize, modules: &[u8], x: usize, y: usize) -> bool {
    let side = width + 2 * QUIET;
    if x >= side || y >= side {
        return false;
    }
    let inside = |c: usize| (QUIET..QUIET + width).contains(&c);
    if inside(x) && inside(y) {
        modules[(y - QUIET) * width + (x - QUIET)] == 0
    } else {
        true
    }
}

/// The code as lines of Unicode half blocks, two module rows per line,
/// with its quiet zone. Drawn for the usual terminal, light text on a dark
/// background: a glyph's ink is a light module, so the code shows dark on
/// light, as cameras expect.
pub(crate) fn terminal(width: usize, modules: &[u8]) -> Vec<String> {
    assert_eq!(modules.len(), width * width, "a width × width matrix");
    let side = width + 2 * QUIET;
    (0..side.div_ceil(2))
        .map(|row| {
            (0..side)
                .map(|x| {
                    match (
                        light(width, modules, x, 2 * row),
                        light(width, modules, x, 2 * row + 1),
                    ) {
                        (true, true) => '█',
                        (true, false) => '▀',
                        (false, true) => '▄',
                        (false, false) => ' ',
                    }
                })
                .collect()
        })
        .collect()
}

/// The code as a 1-bit greyscale PNG, `scale` pixels per module, with its
/// quiet zone.
pub(crate) fn write_png(
    width: usize,
    modules: &[u8],
    scale: usize,
    out: impl Write,
) -> Result<(), png::EncodingError> {
    assert_eq!(modules.len(), width * width, "a width × width matrix");
    let px = (width + 2 * QUIET) * scale;
    let side = u32::try_from(px).expect("a QR code of at most version 40");
    let mut encoder = png::Encoder::new(out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    let mut writer = encoder.write_header()?;
    let row_bytes = px.div_ceil(8);
    let mut data = vec![0u8; row_bytes * px];
    for y in 0..px {
        for x in 0..px {
            if light(width, modules, x / scale, y / scale) {
                data[y * row_bytes + x / 8] |= 0x80 >> (x % 8);
            }
        }
    }
    writer.write_image_data(&data)?;
    writer.finish()
}

/// Writes the code to `path` as a PNG ([`write_png`] at [`PNG_SCALE`]).
pub(crate) fn save_png(path: &Path, width: usize, modules: &[u8]) -> CliResult {
    let fail = |e: &dyn std::fmt::Display| {
        CliError::cli(
            "cli.file",
            format!("the PNG {} cannot be written ({e})", path.display()),
        )
    };
    let file = std::fs::File::create(path).map_err(|e| fail(&e.kind()))?;
    let mut out = std::io::BufWriter::new(file);
    write_png(width, modules, PNG_SCALE, &mut out).map_err(|e| fail(&e))?;
    out.flush().map_err(|e| fail(&e.kind()))
}

/// A greyscale picture: `width × height` luma bytes, row by row.
pub(crate) struct Luma {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) pixels: Vec<u8>,
}

/// Decodes a PNG of any colour type and depth to luma (Rec. 601 weights),
/// transparency composed over white, as a screenshot of the code looks.
pub(crate) fn read_png(bytes: &[u8]) -> CliResult<Luma> {
    let bad = |e: &dyn std::fmt::Display| {
        CliError::cli("cli.png", format!("not a readable PNG image ({e})"))
    };
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| bad(&e))?;
    let (w, h) = reader.info().size();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(bad(&format!("{w}×{h} pixels is too large")));
    }
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| bad(&"too large"))?;
    let mut buf = vec![0u8; size];
    let frame = reader.next_frame(&mut buf).map_err(|e| bad(&e))?;
    let (width, height) = (frame.width as usize, frame.height as usize);
    let channels = frame.color_type.samples();
    let line = frame.line_size;
    fn over_white(v: u32, a: u32) -> u32 {
        (v * a + 255 * (255 - a)) / 255
    }
    fn rgb(p: &[u8]) -> u32 {
        (299 * u32::from(p[0]) + 587 * u32::from(p[1]) + 114 * u32::from(p[2])) / 1000
    }
    // One luma byte per pixel, computed in place: a 1080p frame is two
    // million pixels, and anything per pixel on the heap showed (a 1.4x
    // decode against the png crate plus rqrr alone).
    let luma: fn(&[u8]) -> u32 = match frame.color_type {
        png::ColorType::Grayscale => |p| u32::from(p[0]),
        png::ColorType::GrayscaleAlpha => |p| over_white(u32::from(p[0]), u32::from(p[1])),
        png::ColorType::Rgb => rgb,
        png::ColorType::Rgba => |p| over_white(rgb(p), u32::from(p[3])),
        // Expanded to RGB(A) by the transformations above.
        png::ColorType::Indexed => return Err(bad(&"an unexpanded palette")),
    };
    let mut pixels = Vec::with_capacity(width * height);
    for y in 0..height {
        let row = &buf[y * line..y * line + width * channels];
        pixels.extend(row.chunks_exact(channels).map(|p| luma(p) as u8));
    }
    Ok(Luma {
        width,
        height,
        pixels,
    })
}

/// The text of the first QR code found in `image` that decodes; a light
/// code on a dark ground (a photo of a dark terminal) is tried inverted.
pub(crate) fn decode(image: &Luma) -> CliResult<String> {
    let mut found = 0;
    for invert in [false, true] {
        match scan(image, invert) {
            (_, Some(text)) => return Ok(text),
            (grids, None) => found += grids,
        }
    }
    Err(if found == 0 {
        CliError::cli("cli.no_qr_code", "no QR code found in the image")
    } else {
        CliError::cli(
            "cli.qr_unreadable",
            "a QR code was found in the image but could not be read",
        )
    })
}

/// How many codes rqrr finds in `image` (its negative if `invert`), and
/// the text of the first that decodes.
fn scan(image: &Luma, invert: bool) -> (usize, Option<String>) {
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(image.width, image.height, |x, y| {
            let v = image.pixels[y * image.width + x];
            if invert { 255 - v } else { v }
        });
    let grids = prepared.detect_grids();
    let text = grids.iter().find_map(|g| g.decode().ok().map(|(_, t)| t));
    (grids.len(), text)
}

/// The text of the QR code in the PNG at `path`.
pub(crate) fn read_code(path: &Path) -> CliResult<String> {
    let bytes = std::fs::read(path).map_err(|e| {
        CliError::cli(
            "cli.file",
            format!("{} cannot be read ({:?})", path.display(), e.kind()),
        )
    })?;
    decode(&read_png(&bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> (usize, Vec<u8>) {
        let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).unwrap();
        let modules = code
            .to_colors()
            .into_iter()
            .map(|c| u8::from(c == qrcode::Color::Dark))
            .collect();
        (code.width(), modules)
    }

    fn ok<T>(result: CliResult<T>) -> T {
        match result {
            Ok(value) => value,
            Err(CliError::Cli { code, detail }) => panic!("{detail} [{code}]"),
            Err(CliError::Core(e)) => panic!("{e}"),
        }
    }

    fn text_of(png: &[u8]) -> String {
        ok(read_png(png).and_then(|luma| decode(&luma)))
    }

    fn error_code(result: CliResult<String>) -> &'static str {
        match result {
            Err(CliError::Cli { code, .. }) => code,
            Err(CliError::Core(e)) => panic!("{e}"),
            Ok(text) => panic!("decoded {text:?}"),
        }
    }

    #[test]
    fn a_matrix_is_drawn_in_half_blocks_inside_its_quiet_zone() {
        // 1 dark; a glyph's ink is light. Rows pair up from the quiet
        // zone's top: the matrix's rows are the third line's two halves
        // and the fourth line's top half.
        let modules = [
            1, 0, 1, //
            0, 1, 0, //
            1, 1, 0,
        ];
        let lines = terminal(3, &modules);
        let (q, full) = ("█".repeat(QUIET), "█".repeat(3 + 2 * QUIET));
        assert_eq!(
            lines,
            [
                full.clone(),
                full.clone(),
                format!("{q}▄▀▄{q}"),
                format!("{q}▄▄█{q}"),
                full,
                // The quiet zone's last row over the terminal's background.
                "▀".repeat(3 + 2 * QUIET),
            ]
        );
        // A real code: 4 + width + 4 columns, every line as wide.
        let (width, modules) = code("PG1:HELLO");
        let lines = terminal(width, &modules);
        assert_eq!(lines.len(), (width + 2 * QUIET).div_ceil(2));
        for line in &lines {
            assert_eq!(line.chars().count(), width + 2 * QUIET);
            assert!(line.chars().all(|c| " ▀▄█".contains(c)), "{line}");
        }
        assert!(lines[0].chars().all(|c| c == '█'), "quiet zone on top");
    }

    #[test]
    fn a_code_written_as_png_reads_back_as_the_same_text() {
        // A payload as the core makes them: `PG1:` and Base45, long
        // enough for a version past 10 (alignment patterns, version info).
        let payload = format!(
            "PG1:{}",
            "6BFOXN*TS0BI$ZD.P9$ZJ-VT/JWK/1MBB+ZEF4B*Y6 X5I:KC$D/:4ES2".repeat(6)
        );
        let (width, modules) = code(&payload);
        assert!(width > 57, "version {}", (width - 17) / 4);
        let mut png = Vec::new();
        write_png(width, &modules, PNG_SCALE, &mut png).unwrap();
        let luma = ok(read_png(&png));
        assert_eq!(luma.width, (width + 2 * QUIET) * PNG_SCALE);
        assert_eq!(luma.pixels[0], 255, "a light quiet zone");
        assert_eq!(text_of(&png), payload);

        // At one pixel a module, and as a negative (a light code on a
        // dark ground: the terminal drawing on a light background).
        let mut small = Vec::new();
        write_png(width, &modules, 1, &mut small).unwrap();
        assert_eq!(text_of(&small), payload);
        let mut negative = ok(read_png(&small));
        negative.pixels.iter_mut().for_each(|p| *p = 255 - *p);
        assert_eq!(scan(&negative, false).1, None);
        assert_eq!(ok(decode(&negative)), payload);
    }

    #[test]
    fn the_terminal_drawing_scans_as_the_same_text() {
        // The drawing as a dark-background terminal shows it: ink light.
        let payload = "PG1:6BFOXN*TS0BI$ZD.P9$ZJ-VT/JWK/1MBB+ZEF4B*Y6 X5I:KC$D/:4ES2";
        let (width, modules) = code(payload);
        let lines = terminal(width, &modules);
        let (w, h) = (width + 2 * QUIET, 2 * lines.len());
        let scale = 4;
        let mut pixels = vec![0u8; w * h * scale * scale];
        for (row, line) in lines.iter().enumerate() {
            for (x, glyph) in line.chars().enumerate() {
                let (top, bottom) = match glyph {
                    '█' => (true, true),
                    '▀' => (true, false),
                    '▄' => (false, true),
                    _ => (false, false),
                };
                for (half, ink) in [(0, top), (1, bottom)] {
                    for dy in 0..scale {
                        for dx in 0..scale {
                            let (px, py) = (x * scale + dx, (2 * row + half) * scale + dy);
                            pixels[py * w * scale + px] = if ink { 255 } else { 0 };
                        }
                    }
                }
            }
        }
        let screen = Luma {
            width: w * scale,
            height: h * scale,
            pixels,
        };
        // As it is, not as a negative: dark modules on a light ground.
        assert_eq!(scan(&screen, false).1.as_deref(), Some(payload));
    }

    #[test]
    fn rgba_pngs_are_read_over_white() {
        let (width, modules) = code("PG1:RGBA");
        let side = (width + 2 * QUIET) * 2;
        let mut rgba = Vec::with_capacity(side * side * 4);
        for y in 0..side {
            for x in 0..side {
                if light(width, &modules, x / 2, y / 2) {
                    // Transparent: white once composed.
                    rgba.extend_from_slice(&[0, 0, 0, 0]);
                } else {
                    rgba.extend_from_slice(&[20, 30, 90, 255]);
                }
            }
        }
        let mut png = Vec::new();
        let mut encoder = png::Encoder::new(&mut png, side as u32, side as u32);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&rgba).unwrap();
        writer.finish().unwrap();
        assert_eq!(text_of(&png), "PG1:RGBA");
    }

    #[test]
    fn an_image_without_a_code_and_a_file_that_is_no_png_are_refused_with_codes() {
        let blank = Luma {
            width: 64,
            height: 64,
            pixels: vec![255; 64 * 64],
        };
        assert_eq!(error_code(decode(&blank)), "cli.no_qr_code");
        assert_eq!(
            error_code(read_png(b"GIF89a").and_then(|l| decode(&l))),
            "cli.png"
        );
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            error_code(read_code(&dir.path().join("missing.png"))),
            "cli.file"
        );
    }
}
