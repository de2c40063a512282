//! Image preparation for photo attachments and face frames: decode, scale
//! the long edge down, apply the EXIF orientation, and encode a fresh JPEG,
//! which carries no EXIF and so no GPS position or camera serial.
//!
//! The chain: `jpeg-decoder` decodes a JPEG at the smallest IDCT scale
//! (1/2, 1/4, 1/8) that still covers the target size, as libjpeg-turbo's
//! scaled decoding does, so a 12 MP photo bound for 1600 px never exists at
//! full size in memory, and converts grey and CMYK (print shops, scanners)
//! to RGB; `image` decodes PNG, and only PNG, so no second JPEG decoder is
//! linked into the phone library; our own bicubic resampler (`resample`,
//! Pillow's algorithm) scales to the exact size; then `jpeg-encoder`.
//! Orientation is applied after scaling, on the small image, by our own
//! pixel copy: `image`'s rotations allocate a new buffer and drop the old
//! one without clearing it.
//!
//! Every buffer this crate owns holding pixels is [`Wiped`]: face frames
//! are biometric data and photos of documents are personal, and neither
//! may linger in freed memory. The resampler's intermediate image and
//! scratch rows are too (see [`resize`]); buffers inside the decoder and
//! encoder are out of reach, and we keep them few.
//!
//! A crate of its own so that it can be built at opt-level 3 while the
//! core is built for size: the resampler's loops are here, and the codecs'
//! hot loops are generic (`Decoder<R>`, `Encoder<W>`), so they are
//! compiled, and optimised, in the crate that calls them.

mod resample;
mod wipe;

pub use wipe::Wiped;

use std::io::Cursor;

use image::codecs::png::PngDecoder;
use image::metadata::Orientation;
use image::{ColorType, DynamicImage, ImageDecoder, Limits};

/// Why an image could not be prepared. Never contains image data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    /// Not a JPEG or PNG, or a truncated or corrupt one.
    #[error("not a readable JPEG or PNG image")]
    Unreadable,
    /// Larger than [`MAX_PIXELS`]: refused before decoding to bound memory.
    #[error("image too large")]
    TooLarge,
    #[error("image processing failed")]
    Failed,
}

/// The largest image decoded: 50 megapixels (a 48 MP phone sensor).
pub const MAX_PIXELS: u64 = 50_000_000;

/// A prepared image: a baseline JPEG without metadata.
pub struct Prepared {
    pub jpeg: Wiped,
    pub width: u32,
    pub height: u32,
}

/// Decodes `input` (JPEG or PNG), scales it so its long edge is at most
/// `max_edge`, turns it upright and encodes it as JPEG at `quality`.
pub fn reencode_jpeg(input: &[u8], max_edge: u32, quality: u8) -> Result<Prepared, MediaError> {
    let (pixels, width, height, orientation) = match input.starts_with(&[0xFF, 0xD8]) {
        true => decode_jpeg_scaled(input, max_edge)?,
        false => decode_png(input)?,
    };
    let scale = f64::from(max_edge.max(1)) / f64::from(width.max(height));
    let (pixels, width, height) = if scale < 1.0 {
        let w = ((f64::from(width) * scale).round() as u32).max(1);
        let h = ((f64::from(height) * scale).round() as u32).max(1);
        (resize(&pixels, (width, height), (w, h))?, w, h)
    } else {
        (pixels, width, height)
    };
    let (pixels, width, height) = orient(pixels, width, height, orientation);

    let (Ok(w16), Ok(h16)) = (u16::try_from(width), u16::try_from(height)) else {
        return Err(MediaError::TooLarge);
    };
    // A q80 JPEG of a photo is rarely an eighth of its pixels (the bench
    // photo: a twenty-sixth); a larger one grows without leaving copies
    // behind (see `Wiped`'s `Write`).
    let mut jpeg = Wiped::with_capacity(pixels.len() / 8 + 4096);
    jpeg_encoder::Encoder::new(&mut jpeg, quality)
        .encode(&pixels, w16, h16, jpeg_encoder::ColorType::Rgb)
        .map_err(|_| MediaError::Failed)?;
    Ok(Prepared {
        jpeg,
        width,
        height,
    })
}

/// RGB pixels, their size, and the orientation to apply.
type Decoded = (Wiped, u32, u32, Orientation);

/// Decodes a JPEG at the smallest IDCT scale whose result still has a long
/// edge of at least `max_edge`.
fn decode_jpeg_scaled(input: &[u8], max_edge: u32) -> Result<Decoded, MediaError> {
    use jpeg_decoder::PixelFormat;
    let mut decoder = jpeg_decoder::Decoder::new(input);
    decoder.set_max_decoding_buffer_size(MAX_PIXELS as usize * 4);
    decoder.read_info().map_err(|_| MediaError::Unreadable)?;
    let info = decoder.info().ok_or(MediaError::Unreadable)?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(MediaError::TooLarge);
    }
    if width == 0 || height == 0 {
        return Err(MediaError::Unreadable);
    }
    let format = info.pixel_format;
    // 9- to 16-bit lossless greyscale JPEG is medical and scientific
    // imaging, never a phone camera or a scanned paper.
    if format == PixelFormat::L16 {
        return Err(MediaError::Unreadable);
    }
    let long = width.max(height);
    if max_edge < long {
        // Both sides scaled alike, rounded up: the decoder picks the
        // smallest scale that covers this size.
        let side = |s: u32| (u64::from(s) * u64::from(max_edge)).div_ceil(u64::from(long)) as u16;
        decoder
            .scale(side(width), side(height))
            .map_err(|_| MediaError::Unreadable)?;
    }
    let pixels = Wiped::from(decoder.decode().map_err(|_| MediaError::Unreadable)?);
    let info = decoder.info().ok_or(MediaError::Unreadable)?;
    let orientation = decoder
        .exif_data()
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms);
    let pixels = match format {
        PixelFormat::L8 => grey_to_rgb(&pixels),
        PixelFormat::CMYK32 => cmyk_to_rgb(&pixels),
        _ => pixels,
    };
    Ok((
        pixels,
        u32::from(info.width),
        u32::from(info.height),
        orientation,
    ))
}

/// Decodes a PNG at full size. `image` is asked for its PNG decoder only:
/// through `ImageReader` every format it was built with would be linked
/// in, a second JPEG decoder among them.
fn decode_png(input: &[u8]) -> Result<Decoded, MediaError> {
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4);
    let mut decoder =
        PngDecoder::with_limits(Cursor::new(input), limits).map_err(|_| MediaError::Unreadable)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(MediaError::TooLarge);
    }
    if width == 0 || height == 0 {
        return Err(MediaError::Unreadable);
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    Ok((decode(decoder)?, width, height, orientation))
}

/// CMYK as jpeg-decoder hands it over (Adobe's inverted storage undone
/// once) to RGB, the conversion `image` made over jpeg-decoder before
/// 0.25: each ink takes its share of what the black leaves.
fn cmyk_to_rgb(pixels: &[u8]) -> Wiped {
    let mut rgb = Wiped::with_capacity(pixels.len() / 4 * 3);
    for p in pixels.chunks_exact(4) {
        let k = 255 - u16::from(p[3]);
        let ink = |v: u8| ((255 - u16::from(v)) * k / 255) as u8;
        rgb.extend_from_slice(&[ink(p[0]), ink(p[1]), ink(p[2])]);
    }
    rgb
}

/// Expands grey pixels to RGB (one pixel layout keeps one resize path).
fn grey_to_rgb(pixels: &[u8]) -> Wiped {
    let mut rgb = Wiped::with_capacity(pixels.len() * 3);
    for &v in pixels {
        rgb.extend_from_slice(&[v, v, v]);
    }
    rgb
}

/// Decodes to 8-bit RGB. Grey images are expanded (rare from cameras, and
/// one pixel layout keeps one resize path in the library); other layouts
/// (alpha, 16-bit PNG) go through `image`'s conversion, whose intermediate
/// buffer is cleared too.
fn decode(decoder: impl ImageDecoder) -> Result<Wiped, MediaError> {
    let grey = match decoder.color_type() {
        ColorType::L8 => true,
        ColorType::Rgb8 => false,
        _ => {
            let image = DynamicImage::from_decoder(decoder).map_err(|_| MediaError::Unreadable)?;
            let rgb = Wiped::from(image.to_rgb8().into_raw());
            drop(Wiped::from(image.into_bytes()));
            return Ok(rgb);
        }
    };
    let size = usize::try_from(decoder.total_bytes()).map_err(|_| MediaError::TooLarge)?;
    let mut pixels = Wiped::zeroed(size);
    decoder
        .read_image(&mut pixels)
        .map_err(|_| MediaError::Unreadable)?;
    Ok(if grey { grey_to_rgb(&pixels) } else { pixels })
}

/// Scales RGB pixels into a new cleared buffer, with [`resample`].
///
/// Bicubic (Catmull-Rom), as Pillow's `thumbnail` and most photo apps
/// scale down: its kernel is two thirds the width of the default Lanczos3,
/// so a third less work. The kernel widens with the ratio, as Pillow's
/// does, so a large reduction (a PNG is decoded at full size) does not alias.
///
/// Vertical pass first, into an intermediate image that is [`Wiped`] like
/// every other pixel buffer (7 MB for a 12 MP photo decoded at 1/2 scale);
/// an axis whose size does not change is skipped. `Failed` if `pixels` is
/// shorter than its size says, or if there is nothing to scale.
fn resize(
    pixels: &[u8],
    (width, height): (u32, u32),
    (new_width, new_height): (u32, u32),
) -> Result<Wiped, MediaError> {
    resample::resize(pixels, (width, height), (new_width, new_height)).ok_or(MediaError::Failed)
}

/// Applies an EXIF orientation by copying RGB pixels into a new buffer.
///
/// Each orientation is an affine map: output pixel (ox, oy) comes from
/// source pixel `origin + ox·dx + oy·dy`. The copy runs in bands of
/// [`BAND`] output rows, column by column within a band. For the rotations
/// (the usual case: a phone held upright writes orientation 6), the band's
/// pixels then come from one short run of a source row, which stays in
/// cache; a row-by-row copy would read a new source row for every pixel.
fn orient(pixels: Wiped, width: u32, height: u32, orientation: Orientation) -> (Wiped, u32, u32) {
    use Orientation::*;
    const C: usize = 3;
    const BAND: usize = 16;
    let (w, h) = (width as isize, height as isize);
    let (origin, dx, dy) = match orientation {
        NoTransforms => return (pixels, width, height),
        FlipHorizontal => (w - 1, -1, w),
        FlipVertical => ((h - 1) * w, 1, -w),
        Rotate180 => (h * w - 1, -1, -w),
        Rotate90 => ((h - 1) * w, -w, 1),
        Rotate270 => (w - 1, w, -1),
        Rotate90FlipH => (0, w, 1),
        Rotate270FlipH => ((h - 1) * w + w - 1, -w, -1),
    };
    let swaps = matches!(
        orientation,
        Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH
    );
    let (out_w, out_h) = if swaps {
        (height as usize, width as usize)
    } else {
        (width as usize, height as usize)
    };
    let mut out = Wiped::zeroed(pixels.len());
    for (band, rows) in out.chunks_mut(BAND * out_w * C).enumerate() {
        let first_row = (band * BAND) as isize;
        let band_rows = rows.len() / (out_w * C);
        for ox in 0..out_w {
            let mut src = origin + ox as isize * dx + first_row * dy;
            for r in 0..band_rows {
                let (s, o) = (src as usize * C, (r * out_w + ox) * C);
                rows[o..o + C].copy_from_slice(&pixels[s..s + C]);
                src += dy;
            }
        }
    }
    (out, out_w as u32, out_h as u32)
}

/// A JPEG of `width`×`height` with a distinct colour in each quadrant
/// (red, green / blue, white), and an EXIF block (orientation
/// `exif_orientation`, plus a GPS-like marker, `GPS-SECRET`) spliced in
/// after SOI the way cameras write it: what a phone camera hands the shell.
/// For tests, the demo and the software camera; checks can then tell where
/// each quadrant went and that no EXIF survived. Sides past JPEG's 65,535
/// pixels are clamped to it.
pub fn camera_jpeg(width: u32, height: u32, exif_orientation: u16) -> Vec<u8> {
    let side = |s: u32| u16::try_from(s).unwrap_or(u16::MAX);
    let (w, h) = (side(width), side(height));
    let quadrants = (0..h).flat_map(|y| {
        (0..w).flat_map(move |x| match (x < w / 2, y < h / 2) {
            (true, true) => [255, 0, 0],
            (false, true) => [0, 255, 0],
            (true, false) => [0, 0, 255],
            (false, false) => [255, 255, 255],
        })
    });
    let pixels: Vec<u8> = quadrants.collect();
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 90)
        .encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb)
        .expect("encoding an in-memory image into a Vec cannot fail");
    // TIFF header (big endian), one IFD entry: Orientation (0x0112), SHORT.
    let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    tiff.extend_from_slice(&exif_orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    tiff.extend_from_slice(b"GPS-SECRET-31.2304N-121.4737E");
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let len = (app1.len() + 2) as u16;
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, RgbImage};

    fn pixel(p: &Prepared, x: u32, y: u32) -> [u8; 3] {
        let img = image::load_from_memory(&p.jpeg).unwrap().to_rgb8();
        img.get_pixel(x, y).0
    }

    fn near(a: [u8; 3], b: [u8; 3]) -> bool {
        a.iter().zip(b).all(|(x, y)| x.abs_diff(y) < 40)
    }

    #[test]
    fn scales_the_long_edge_turns_upright_and_drops_exif() {
        let input = camera_jpeg(1280, 960, 6);
        let out = reencode_jpeg(&input, 640, 85).unwrap();
        // Orientation 6 (rotate 90° clockwise): the upright image is portrait.
        assert_eq!((out.width, out.height), (480, 640));
        // The top-left (red) quadrant ends up top-right.
        assert!(near(pixel(&out, 470, 10), [255, 0, 0]));
        assert!(near(pixel(&out, 10, 10), [0, 0, 255]));
        let bytes: &[u8] = &out.jpeg;
        assert!(!bytes.windows(4).any(|w| w == b"Exif"));
        assert!(!bytes.windows(10).any(|w| w == b"GPS-SECRET"));
    }

    /// The IDCT-scaled path: the decoder picks 1/2 for a 12 MP photo bound
    /// for 1600 px and 1/8 for a thumbnail, and the colours stay put.
    #[test]
    fn large_photos_decode_at_a_reduced_scale() {
        let input = camera_jpeg(4032, 3024, 1);
        let mut probe = jpeg_decoder::Decoder::new(&input[..]);
        probe.read_info().unwrap();
        assert_eq!(probe.scale(1600, 1200).unwrap(), (2016, 1512));
        let out = reencode_jpeg(&input, 1600, 80).unwrap();
        assert_eq!((out.width, out.height), (1600, 1200));
        assert!(near(pixel(&out, 10, 10), [255, 0, 0]));
        assert!(near(pixel(&out, 1590, 1190), [255, 255, 255]));
        let thumb = reencode_jpeg(&input, 100, 80).unwrap();
        assert_eq!((thumb.width, thumb.height), (100, 75));
        assert!(near(pixel(&thumb, 95, 5), [0, 255, 0]));
    }

    #[test]
    fn every_orientation_matches_the_image_crate() {
        for code in 1..=8u8 {
            let input = camera_jpeg(64, 32, u16::from(code));
            let ours = reencode_jpeg(&input, 64, 95).unwrap();
            let mut theirs = image::load_from_memory(&input).unwrap();
            theirs.apply_orientation(Orientation::from_exif(code).unwrap());
            let theirs = theirs.to_rgb8();
            assert_eq!(
                (ours.width, ours.height),
                theirs.dimensions(),
                "orientation {code}"
            );
            for (x, y) in [(2, 2), (ours.width - 3, 2), (2, ours.height - 3)] {
                assert!(
                    near(pixel(&ours, x, y), theirs.get_pixel(x, y).0),
                    "orientation {code} at {x},{y}"
                );
            }
        }
    }

    /// Every pixel, at sizes that leave a partial band, against `image`.
    #[test]
    fn orient_moves_every_pixel_where_the_image_crate_does() {
        for (width, height) in [(37, 45), (45, 37), (1, 17), (16, 1)] {
            let img = RgbImage::from_fn(width, height, |x, y| {
                image::Rgb([x as u8, y as u8, (x * 7 + y * 13) as u8])
            });
            for code in 1..=8u8 {
                let orientation = Orientation::from_exif(code).unwrap();
                let (ours, w, h) = orient(
                    Wiped::from(img.as_raw().clone()),
                    width,
                    height,
                    orientation,
                );
                let mut theirs = DynamicImage::ImageRgb8(img.clone());
                theirs.apply_orientation(orientation);
                let theirs = theirs.to_rgb8();
                assert_eq!((w, h), theirs.dimensions(), "{width}x{height} {code}");
                assert!(&ours[..] == theirs.as_raw(), "{width}x{height} {code}");
            }
        }
    }

    #[test]
    fn small_images_are_not_enlarged_and_png_is_accepted() {
        let img = RgbImage::from_pixel(300, 200, image::Rgb([10, 20, 30]));
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(img.as_raw(), 300, 200, image::ExtendedColorType::Rgb8)
            .unwrap();
        let out = reencode_jpeg(&png, 640, 80).unwrap();
        assert_eq!((out.width, out.height), (300, 200));
    }

    #[test]
    fn grey_images_come_out_as_rgb_jpegs() {
        let img = image::GrayImage::from_pixel(1000, 500, image::Luma([90]));
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
            .write_image(img.as_raw(), 1000, 500, image::ExtendedColorType::L8)
            .unwrap();
        let out = reencode_jpeg(&jpeg, 640, 80).unwrap();
        assert_eq!((out.width, out.height), (640, 320));
        assert!(near(pixel(&out, 300, 100), [90, 90, 90]));
    }

    /// Print shops and scanners write CMYK JPEGs (Adobe's inverted
    /// storage, plain or as YCCK); they come out in their colours.
    #[test]
    fn cmyk_jpegs_come_out_in_their_colours() {
        let (w, h) = (400u16, 200u16);
        // Left half red (C0 M100 Y100 K0), right half 50% grey (K50).
        let cmyk: Vec<u8> = (0..u32::from(w) * u32::from(h))
            .flat_map(|i| match i % u32::from(w) < u32::from(w) / 2 {
                true => [0, 255, 255, 0],
                false => [0, 0, 0, 128],
            })
            .collect();
        for color in [
            jpeg_encoder::ColorType::Cmyk,
            jpeg_encoder::ColorType::CmykAsYcck,
        ] {
            let mut jpeg = Vec::new();
            jpeg_encoder::Encoder::new(&mut jpeg, 95)
                .encode(&cmyk, w, h, color)
                .unwrap();
            let out = reencode_jpeg(&jpeg, 200, 80).unwrap();
            assert_eq!((out.width, out.height), (200, 100));
            let (red, grey) = (pixel(&out, 40, 50), pixel(&out, 160, 50));
            assert!(near(red, [255, 0, 0]), "{color:?}: {red:?}");
            assert!(near(grey, [127, 127, 127]), "{color:?}: {grey:?}");
        }
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        assert_eq!(
            reencode_jpeg(b"", 640, 80).err(),
            Some(MediaError::Unreadable)
        );
        assert_eq!(
            reencode_jpeg(b"not an image at all", 640, 80).err(),
            Some(MediaError::Unreadable)
        );
        let mut truncated = camera_jpeg(64, 64, 1);
        truncated.truncate(truncated.len() / 2);
        assert!(reencode_jpeg(&truncated, 640, 80).is_err());
    }
}
