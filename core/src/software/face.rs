//! A software face camera: answers every challenge with a synthetic
//! "camera" JPEG (or a fixed liveness token), for the CLI, the demo and
//! the tests. It shows that the core's frame preparation does its job: the
//! frame it returns is 1280×960 with EXIF orientation 6 and a fake GPS
//! block, which the server refuses unless the core fixed all three.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::hooks::{FaceCapture, HookError};
use crate::hooks::{FaceCaptureResult, FaceChallenge};

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

/// A JPEG of `width`×`height` with a distinct colour in each quadrant and
/// an EXIF block (orientation `exif_orientation`, plus a GPS-like marker)
/// the way cameras write it: what a phone camera hands the shell. Exported
/// for the shells' tests; see `palmgov_media::camera_jpeg`.
#[uniffi::export]
pub fn camera_jpeg(width: u32, height: u32, exif_orientation: u16) -> Vec<u8> {
    palmgov_media::camera_jpeg(width, height, exif_orientation)
}
