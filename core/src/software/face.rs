//! A software face camera: answers every challenge with a synthetic
//! "camera" JPEG (or a fixed liveness token), for the CLI, the demo and
//! the tests. It shows that the core's frame preparation does its job: the
//! frame it returns is 1280×960 with EXIF orientation 6 and a fake GPS
//! block, which the server refuses unless the core fixed all three.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use image::{ImageEncoder, RgbImage};

use crate::faceauth::{FaceCaptureResult, FaceChallenge};
use crate::hooks::{FaceCapture, HookError};

/// A face capture hook with no camera.
pub struct DevFaceCapture {
    liveness_token: Option<String>,
    /// Captures answered, for tests.
    pub captures: AtomicU32,
    /// `cancel` calls received, for tests.
    pub cancels: AtomicU32,
}

impl DevFaceCapture {
    /// With `liveness_token`, answers as a vendor SDK would (`pass`,
    /// `not-live`, `no-match` on the reference backend); otherwise with frames.
    pub fn new(liveness_token: Option<String>) -> Self {
        Self {
            liveness_token,
            captures: AtomicU32::new(0),
            cancels: AtomicU32::new(0),
        }
    }
}

/// A [`DevFaceCapture`] for the shells' JVM and XCTest suites and the CLI.
#[uniffi::export]
pub fn dev_face_capture(liveness_token: Option<String>) -> Arc<dyn FaceCapture> {
    Arc::new(DevFaceCapture::new(liveness_token))
}

impl FaceCapture for DevFaceCapture {
    fn capture(&self, _challenge: FaceChallenge) -> Result<FaceCaptureResult, HookError> {
        self.captures.fetch_add(1, Ordering::SeqCst);
        Ok(match &self.liveness_token {
            Some(token) => FaceCaptureResult::LivenessToken {
                vendor: "palmgov-dev".into(),
                token: token.clone(),
            },
            None => FaceCaptureResult::Frames {
                frames: vec![camera_jpeg(1280, 960, 6), camera_jpeg(1280, 960, 6)],
            },
        })
    }

    fn cancel(&self) {
        self.cancels.fetch_add(1, Ordering::SeqCst);
    }
}

/// A JPEG of `w`×`h` with a distinct colour in each quadrant, and an
/// EXIF block (orientation `exif_orientation`, plus a GPS-like marker)
/// spliced in after SOI the way cameras write it: what a phone camera
/// hands the shell.
#[uniffi::export]
pub fn camera_jpeg(width: u32, height: u32, exif_orientation: u16) -> Vec<u8> {
    let (w, h) = (width, height);
    let img = RgbImage::from_fn(w, h, |x, y| match (x < w / 2, y < h / 2) {
        (true, true) => image::Rgb([255, 0, 0]),
        (false, true) => image::Rgb([0, 255, 0]),
        (true, false) => image::Rgb([0, 0, 255]),
        (false, false) => image::Rgb([255, 255, 255]),
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
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
